using StackExchange.Redis;

namespace Suppression.Redis.Layout;

/// <summary>
/// Where one address's entries live: a field of a bucket hash (see <see cref="RedisKeyLayout"/>), and
/// the bucket's id, which is also the hash tag its audit chains share.
/// </summary>
public readonly record struct AddressSlot(RedisKey BucketKey, RedisValue Field, string Bucket);
