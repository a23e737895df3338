using StackExchange.Redis;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Tests.Fixtures;

/// <summary>One server the store tests run against, with a key prefix no other run uses.</summary>
public sealed record RedisBackend(string Name, IConnectionMultiplexer Connection, RedisKeyLayout Layout);
