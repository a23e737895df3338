using StackExchange.Redis;

namespace Suppression.Redis.Layout;

/// <summary>
/// The keys one bucket's audit writes touch, all with the bucket's hash tag so that a change and its
/// record go in one script, in one cluster slot.
/// </summary>
/// <param name="Changes">The chain of suppression changes (kept until erased).</param>
/// <param name="Blocked">The chain of blocked deliveries (cut after the retention period).</param>
/// <param name="Heads">The last sequence and hash of each chain, and the blocked chain's retention anchor.</param>
public readonly record struct AuditChainKeys(RedisKey Bucket, RedisKey Changes, RedisKey Blocked, RedisKey Heads);
