using StackExchange.Redis;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Audit;

/// <summary>
/// One hash chain of the audit trail. Each bucket has two: its suppression changes
/// (<c>c-&lt;bucket&gt;</c>) and its blocked deliveries (<c>d-&lt;bucket&gt;</c>, cut by retention);
/// import batches have <c>c-import</c>. One chain per bucket, not one for everything, because a
/// record must be written in the same script as its change, and in Redis Cluster a script touches
/// one slot: the bucket's.
/// </summary>
public sealed record AuditChain(string Name, string Tag, bool IsBlocked)
{
    public static AuditChain Changes(string tag) => new("c-" + tag, tag, IsBlocked: false);

    public static AuditChain Blocked(string tag) => new("d-" + tag, tag, IsBlocked: true);

    public static AuditChain Imports { get; } = Changes(RedisKeyLayout.ImportChainTag);

    /// <summary>The field of the heads hash that holds this chain's last "sequence\thash".</summary>
    public RedisValue HeadField => IsBlocked ? "d" : "a";

    public RedisKey ListKey(AuditChainKeys keys) => IsBlocked ? keys.Blocked : keys.Changes;

    /// <summary>Every chain, in the order searches and verification walk them.</summary>
    public static IEnumerable<AuditChain> All()
    {
        yield return Imports;
        for (var bucket = 0; bucket < RedisKeyLayout.BucketCount; bucket++)
        {
            var tag = RedisKeyLayout.BucketTag(bucket);
            yield return Changes(tag);
            yield return Blocked(tag);
        }
    }

    public static bool TryParse(string? name, out AuditChain chain)
    {
        chain = null!;
        if (name is null || name.Length < 3 || name[1] != '-')
        {
            return false;
        }

        var tag = name[2..];
        var isBucket = tag.Length == 5 && tag.All(char.IsAsciiHexDigitLower) && Convert.ToInt32(tag, 16) < RedisKeyLayout.BucketCount;
        chain = (name[0], isBucket) switch
        {
            ('c', true) => Changes(tag),
            ('d', true) => Blocked(tag),
            ('c', false) when tag == RedisKeyLayout.ImportChainTag => Imports,
            _ => null!,
        };
        return chain is not null;
    }
}
