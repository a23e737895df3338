using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Tests.Fixtures;

/// <summary>One server the store tests run against, with a key prefix no other run uses, and the format its marker names.</summary>
public sealed record RedisBackend(string Name, IConnectionMultiplexer Connection, RedisKeyLayout Layout, StorageFormat Format = StorageFormat.Text);
