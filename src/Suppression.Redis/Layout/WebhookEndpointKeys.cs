using StackExchange.Redis;

namespace Suppression.Redis.Layout;

/// <summary>
/// One webhook endpoint's backlog, every key under the endpoint's hash tag so that a change to it is
/// one transaction in one cluster slot (docs/data-model.md, webhooks).
/// </summary>
/// <param name="Queue">Sorted set: event ids by when they are next due (Unix ms).</param>
/// <param name="Times">Sorted set: the same ids by the event's time, for the oldest undelivered.</param>
/// <param name="Bodies">Hash: event id to the payload, final for this endpoint.</param>
/// <param name="Attempts">Hash: event id to the attempts made so far (absent: none).</param>
/// <param name="State">Hash: last success, consecutive failures, last error, disabled.</param>
/// <param name="Lease">String: the instance delivering this endpoint (SET NX PX).</param>
/// <param name="Dead">List: events whose last attempt failed, JSON, oldest first.</param>
public readonly record struct WebhookEndpointKeys(RedisKey Queue, RedisKey Times, RedisKey Bodies, RedisKey Attempts, RedisKey State, RedisKey Lease, RedisKey Dead);
