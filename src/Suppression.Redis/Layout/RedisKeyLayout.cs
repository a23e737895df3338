using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using Suppression.Addresses;

namespace Suppression.Redis.Layout;

// Every Redis key the gateway uses, in one place (docs/data-model.md has the long form):
//
//   sup:b:{<bucket>}   hash   field = 10 raw bytes of the match-key digest
//                             value = the mailbox's address and entries, as text or compact (BucketValue)
//   sup:format         string the format writers use: absent or 1 = text, 2 = compact (StorageFormatMarker)
//   sup:a:{<bucket>}   list   the bucket's chain of suppression changes (AuditElement, oldest first)
//   sup:d:{<bucket>}   list   the bucket's chain of blocked deliveries, cut by retention
//   sup:h:{<bucket>}   hash   the chains' heads: a, d = "<sequence>\t<hash>"; d0 = retention anchor
//   sup:a:{import}, sup:h:{import}
//                      the chain of import batches (one record per import); sup:h:{import} also
//                      holds next-batch, the last batch number given (RedisSuppressionList.NewBatchAsync)
//   sup:stats:<yyyy-mm-dd>
//                      hash   per-day counters for the console's chart (AuditStatistics)
//   sup:sent:{<message key>}
//                      set    member = address digest bytes 0..15 of each recipient whose copy the
//                             upstream accepted (RedisAcceptedCopies); expires after the retry window
//   sup:feedback-event:<kind>:<64 hex>
//                      string an ESP's event id or one-time token already taken (ProviderEventKey), with an expiry
//   sup:dropped:{<message key>}
//                      set    the same members, for each recipient whose blocked delivery of the message
//                             is in the audit trail (RedisRecordedBlockedDeliveries); same expiry
//   sup:o:{<bucket>}   list   webhook outbox: "<chain>\t<sequence>" of each record whose event is not yet
//                             fanned out, pushed by append-audit.lua with the record (webhooks on only)
//   sup:o:ready        set    buckets whose outbox may hold pointers (WebhookFanOut pops them)
//   sup:{feedback-review}:outbox
//                      list   the review queue's webhook outbox: ids of held reports whose feedback.review
//                             events are not yet fanned out (FeedbackReviewFanOut; webhooks on only)
//   sup:w:{log}:events sorted set  the event log for replay: outbox pointers by event time (Unix ms)
//   sup:w:{<endpoint>}:q, :t, :b, :n, :s, :lease, :dead
//                             one webhook endpoint's backlog (WebhookEndpointKeys, RedisWebhookBacklog)
//
// match-key digest = SHA-256(UTF-8("suppression-v1:" + AddressRules.MatchKeyOf(address)))
// address digest   = SHA-256(UTF-8("suppression-v1:" + NormalizedAddress.Value))
// bucket = the match-key digest's first 18 bits as 5 lowercase hex digits: 262,144 buckets
// field  = match-key digest bytes 3..12 (the 6 bits left over in byte 2 are unused)
// message key = 64 lowercase hex digits of a SHA-256 (IAcceptedCopies.DeriveMessageKey)
//
// Suppressions are keyed by the match key so that every variant of a mailbox (user+tag@, Gmail
// dots, googlemail.com; AddressVariantRules) shares one field: an opt-out of one covers all. The
// match key is the normalized address itself unless a variant rule applies, so the two digests are
// the same for most addresses. Accepted copies stay per exact recipient: john@ and john+x@ in one
// transaction are two copies, and keying them by mailbox would skip the second on a retry.
//
// Why: tens of millions of addresses must fit in memory. One key per address would cost a
// keyspace entry and its objects each (several dozen bytes before any data); small hashes are
// stored as listpacks, where a field costs its own bytes plus a few of framing. Hashing makes
// every field 10 bytes whatever the address length and keeps no address in clear text. 80 bits of
// field plus 18 of bucket make a collision between two addresses vanishingly unlikely
// (about n^2 / 2^99: 4e-15 for 50 million). The braces are a Redis Cluster hash tag, so each
// bucket is one slot and a script touching one bucket is valid in a cluster.
//
// Changing any of this (domain string, bit split, hex width; a row of AddressVariantRules for the
// addresses at its domains; Suppression:Addresses:TagDelimiters for domains without a row) orphans stored entries, and no address is kept here to re-derive them:
// bump the "suppression-v1" domain and migrate from the addresses kept elsewhere instead.
public sealed class RedisKeyLayout
{
    public const string DefaultPrefix = "sup:";

    public const int BucketCount = 1 << BucketBits;

    private const string DigestDomain = "suppression-v1:";
    private const int BucketBits = 18;
    private const int FieldOffset = 3;
    private const int FieldLength = 10;
    private const int AcceptedCopyMemberLength = 16;
    private const int MessageKeyLength = 64;

    // Addresses, and so match keys, are at most 64 + 1 + 255 octets (RFC 5321 4.5.3.1), so this
    // covers all valid ones without touching the heap; longer input still works through the pool.
    private const int StackallocLimit = 1024;

    private static readonly SearchValues<char> LowercaseHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>The hash tag of the import batches' chain: not a bucket, so no address shares it.</summary>
    public const string ImportChainTag = "import";

    private readonly string _bucketKeyStart;
    private readonly string _acceptedCopiesKeyStart;

    /// <param name="addressRules">Which spellings share a mailbox's key; <see cref="AddressVariantRules.Default"/> when null.</param>
    public RedisKeyLayout(string prefix, AddressVariantRules? addressRules = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);

        // A brace in the prefix would become the hash tag and put every bucket in one cluster slot.
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The key prefix must not contain '{' or '}': they are Redis Cluster hash tags.", nameof(prefix));
        }

        Prefix = prefix;
        AddressRules = addressRules ?? AddressVariantRules.Default;
        _bucketKeyStart = prefix + "b:{";
        _acceptedCopiesKeyStart = prefix + "sent:{";
    }

    public static RedisKeyLayout Default { get; } = new(DefaultPrefix);

    public string Prefix { get; }

    public AddressVariantRules AddressRules { get; }

    // The whole record of one message is one key, so its braces make it one cluster slot.
    public RedisKey AcceptedCopiesKey(string messageKey) => string.Concat(_acceptedCopiesKeyStart, CheckedMessageKey(messageKey), "}");

    /// <summary>The recipients of one message whose blocked delivery is on record: <c>sup:dropped:{message key}</c>.</summary>
    public RedisKey RecordedBlockedKey(string messageKey) => string.Concat(Prefix, "dropped:{", CheckedMessageKey(messageKey), "}");

    private static string CheckedMessageKey(string messageKey)
    {
        ArgumentNullException.ThrowIfNull(messageKey);
        if (messageKey.Length != MessageKeyLength || messageKey.AsSpan().ContainsAnyExcept(LowercaseHexDigits))
        {
            throw new ArgumentException("A message key is 64 lowercase hex digits, as IAcceptedCopies.DeriveMessageKey returns.", nameof(messageKey));
        }

        return messageKey;
    }

    // 128 bits of the exact address's digest, not the match key's: each variant is its own copy.
    // A collision between two recipients of one message is negligible, and no address is stored in
    // clear text.
    public RedisValue AcceptedCopyMember(NormalizedAddress recipient)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        ComputeDigest(recipient.Value, digest);
        return digest[..AcceptedCopyMemberLength].ToArray();
    }

    /// <summary>The soft-bounce counter of a mailbox: <c>sup:soft:{32 hex digits of its match-key digest}</c>.</summary>
    public RedisKey SoftBounceKey(NormalizedAddress address)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        ComputeDigest(AddressRules.MatchKeyOf(address), digest);
        return string.Concat(Prefix, "soft:{", Convert.ToHexStringLower(digest[..16]), "}");
    }

    /// <summary>The store's format marker (<c>sup:format</c>): which format field values are written in.</summary>
    public RedisKey FormatKey => Prefix + "format";

    /// <summary>Feedback mail the gateway could not read, kept for a person to look at.</summary>
    public RedisKey RejectedFeedbackKey => Prefix + "log:feedback-rejected";

    /// <summary>
    /// Reports held for review: a hash of id to item (JSON) and a sorted set of ids by received time,
    /// in one slot (<c>{feedback-review}</c>) so both change together.
    /// </summary>
    public RedisKey FeedbackReviewItemsKey => Prefix + "{feedback-review}:items";

    public RedisKey FeedbackReviewOrderKey => Prefix + "{feedback-review}:order";

    /// <summary>
    /// The review queue's own webhook outbox, in the items' slot so an item and its pointer are one
    /// script; not named <c>o:{...}</c>, so the audit outboxes' sweep and fan-out never read it.
    /// </summary>
    public RedisKey FeedbackReviewOutboxKey => Prefix + "{feedback-review}:outbox";

    /// <summary>How many of a source network's reports were queued for review in the current window.</summary>
    public RedisKey FeedbackReviewCounterKey(string source) => string.Concat(Prefix, "feedback-review-count:{", source, "}");

    /// <summary>How many of a source network's reports were kept in the current window: <c>sup:feedback-kept:{192.0.2.0/24}</c>.</summary>
    public RedisKey KeptFeedbackCounterKey(string source) => string.Concat(Prefix, "feedback-kept:{", source, "}");

    /// <summary>
    /// An upstream ESP's event id (or one-time token) already taken: <c>sup:feedback-event:mailgun:{64 hex}</c>,
    /// a SHA-256 of the id, so an id of any length or alphabet makes a key of fixed shape.
    /// </summary>
    public RedisKey ProviderEventKey(string kind, string id) =>
        string.Concat(Prefix, "feedback-event:", kind, ":", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))));

    // Every variant of the address's mailbox gets the same slot (see the top of this file).
    public AddressSlot Locate(NormalizedAddress address)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        ComputeDigest(AddressRules.MatchKeyOf(address), digest);

        var bucket = BucketTag((digest[0] << 10) | (digest[1] << 2) | (digest[2] >> 6));
        var field = digest.Slice(FieldOffset, FieldLength).ToArray();
        return new AddressSlot(BucketKey(bucket), field, bucket);
    }

    /// <summary>The slot a mailbox key names (an exported row's <c>mailbox_key</c>): the inverse of <see cref="KeyOf"/>.</summary>
    public AddressSlot Locate(Suppression.Suppressions.MailboxKey key) => new(BucketKey(key.Bucket), Convert.FromHexString(key.Field), key.Bucket);

    /// <summary>How exports name the mailbox at a bucket's field.</summary>
    public static Suppression.Suppressions.MailboxKey KeyOf(string bucketTag, RedisValue field) =>
        Suppression.Suppressions.MailboxKey.Of(bucketTag, ((ReadOnlyMemory<byte>)field).Span);

    /// <summary>The id of bucket number <paramref name="bucket"/> (0 to <see cref="BucketCount"/> - 1): 5 lowercase hex digits.</summary>
    public static string BucketTag(int bucket) => bucket.ToString("x5", CultureInfo.InvariantCulture);

    public RedisKey BucketKey(string bucketTag) => string.Concat(_bucketKeyStart, bucketTag, "}");

    /// <summary>The keys of one bucket's audit chains (or of the import chain): all in the bucket's cluster slot.</summary>
    public AuditChainKeys ChainKeys(string tag) => new(
        Bucket: BucketKey(tag),
        Changes: string.Concat(Prefix, "a:{", tag, "}"),
        Blocked: string.Concat(Prefix, "d:{", tag, "}"),
        Heads: string.Concat(Prefix, "h:{", tag, "}"));

    /// <summary>A bucket's webhook outbox, <c>sup:o:{bucket}</c>: in the bucket's slot, so append-audit.lua pushes to it with the record.</summary>
    public RedisKey OutboxKey(string bucketTag) => string.Concat(Prefix, "o:{", bucketTag, "}");

    /// <summary>What SCAN matches to find every outbox (not <see cref="OutboxReadyKey"/>: no brace follows its colon).</summary>
    public string OutboxPattern => Prefix + "o:{*";

    /// <summary>The bucket an outbox key names, or null when the key is not one.</summary>
    public string? OutboxBucket(string key)
    {
        var start = Prefix.Length + 3;
        return key.Length == start + 6 && key.StartsWith(Prefix + "o:{", StringComparison.Ordinal) && key[^1] == '}' ? key[start..^1] : null;
    }

    /// <summary>The buckets whose outbox may hold pointers: <c>sup:o:ready</c>.</summary>
    public RedisKey OutboxReadyKey => Prefix + "o:ready";

    /// <summary>The event log for replay: pointers (<c>chain\tsequence</c>) by event time, <c>sup:w:{log}:events</c>.</summary>
    public RedisKey WebhookLogKey => Prefix + "w:{log}:events";

    /// <summary>Erasures begun, ever (a counter, <c>sup:w:{log}:erasures-begun</c>): with <see cref="ErasuresEndedKey"/>, tells the fan-out whether one may have raced it.</summary>
    public RedisKey ErasuresBegunKey => Prefix + "w:{log}:erasures-begun";

    /// <summary>Erasures ended, ever (<c>sup:w:{log}:erasures-ended</c>), successful or not.</summary>
    public RedisKey ErasuresEndedKey => Prefix + "w:{log}:erasures-ended";

    /// <summary>The keys of one webhook endpoint's backlog, all under its hash tag <c>{endpoint id}</c>.</summary>
    public WebhookEndpointKeys WebhookKeys(string endpointId)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpointId);
        if (endpointId.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("A webhook endpoint id must not contain '{' or '}': they are Redis Cluster hash tags.", nameof(endpointId));
        }

        var start = string.Concat(Prefix, "w:{", endpointId, "}:");
        return new WebhookEndpointKeys(start + "q", start + "t", start + "b", start + "n", start + "s", start + "lease", start + "dead");
    }

    /// <summary>One UTC day's counters for the console's chart.</summary>
    public RedisKey StatisticsKey(DateOnly day) => string.Concat(Prefix, "stats:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static void ComputeDigest(string address, Span<byte> digest)
    {
        var length = Encoding.UTF8.GetMaxByteCount(DigestDomain.Length + address.Length);
        byte[]? rented = null;
        var buffer = length <= StackallocLimit ? stackalloc byte[StackallocLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(DigestDomain, buffer);
            written += Encoding.UTF8.GetBytes(address, buffer[written..]);
            SHA256.HashData(buffer[..written], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
