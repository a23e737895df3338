using System.Text;
using StackExchange.Redis;
using Suppression.Redis.Suppressions;
using Suppression.Suppressions;
using Suppression.Testing.Fuzzing;

namespace Suppression.Redis.Tests.Suppressions;

// A stored value comes from Redis, which another version, an operator's HSET or a damaged restore
// may have written: whatever the bytes, reading them ends in entries or in UnreadableEntryException
// (the recipient deferred), never another exception, and what is read and written back reads the same.
public sealed class BucketValueFuzzTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    public static TheoryData<byte[]> FoundByFuzzing =>
    [
        // A compact value whose address is a tab: its text form broke into two lines.
        [0x00, 0x63, 0x67, 0x42, 0x17, 0x79, 0x10, 0x09],
        // A text address line of a carriage return: its compact form was damaged.
        Encoding.UTF8.GetBytes("@\r\nglobal\thard-bounce\timport\t1"),
        // A date after 2106: its compact form was clamped.
        Encoding.UTF8.GetBytes("global\tunsubscribe\tpage\t5732347971"),
        // An empty address line before a line that is not UTF-8: its hashed form, without the
        // address, started with a byte of a short compact entry.
        [0x40, 0x0A, 0xF4],
        // An entry whose batch name is empty.
        Encoding.UTF8.GetBytes("\u0005\u0004acme\u0012gAg9\u0000"),
        // A global entry of source relay (code 8): its short hashed form had no room for the code.
        Encoding.UTF8.GetBytes("\u0000Xg\u0002<6"),
    ];

    [Fact]
    public Task Any_bytes_are_read_or_refused_as_unreadable() =>
        Fuzz.RunAsync(defaultSeed: 1870, defaultIterations: 3_000, random => random.Chance(0.5) ? random.Mutate(ValidValue(random)) : random.Bytes(120), AssertReadOrRefused);

    [Theory]
    [MemberData(nameof(FoundByFuzzing))]
    public void Found_by_fuzzing(byte[] bytes) => AssertReadOrRefused(bytes);

    private static void AssertReadOrRefused(byte[] bytes)
    {
        var value = (RedisValue)bytes;
        IReadOnlyList<SuppressionEntry>? entries = null;
        try
        {
            entries = BucketValue.ReadEntries(value);
        }
        catch (UnreadableEntryException)
        {
        }

        BucketValue? parsed = null;
        try
        {
            parsed = BucketValue.Parse(value);
        }
        catch (UnreadableEntryException)
        {
            // Damaged: not rewritten.
            return;
        }

        // Whatever was parsed survives a rewrite in any format, and the check reads the rewrite as it read the original.
        foreach (var format in Enum.GetValues<StorageFormat>())
        {
            RedisValue rewritten;
            try
            {
                rewritten = parsed.Format(format);
            }
            catch (UnreadableEntryException)
            {
                continue;
            }

            if (parsed.Count == 0)
            {
                continue;
            }

            var again = BucketValue.Parse(rewritten);
            Assert.Equal(parsed.Count, again.Count);
            Assert.Equal(parsed.StoredEntries, again.StoredEntries);
            if (entries is not null)
            {
                Assert.Equal(entries, BucketValue.ReadEntries(rewritten));
            }
        }
    }

    private static byte[] ValidValue(FuzzRandom random)
    {
        var value = BucketValue.Parse(RedisValue.Null);
        var scopes = new[] { SuppressionScope.Global, SuppressionScope.ForTenant("acme"), SuppressionScope.ForTopic("acme", "news") };
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var entry = new SuppressionEntry(
                random.Pick(scopes), random.Pick(Enum.GetValues<SuppressionReason>()), random.Pick(Enum.GetValues<SuppressionSource>()), Now.AddSeconds(random.Next(100_000)));
            value.TryAdd(entry, random.Chance(0.3) ? random.Pick(["b-0123456789abcdef", "b-" + random.Next(1, 100_000)]) : null);
        }

        if (random.Chance(0.7))
        {
            value.RememberAddress(Addresses.AddressNormalizer.Normalize($"user{random.Next(1000)}@example.com"));
        }

        if (random.Chance(0.1))
        {
            value.Erase(Convert.ToHexStringLower(random.Bytes(16)));
        }

        return (byte[])value.Format(random.Pick(Enum.GetValues<StorageFormat>()))!;
    }
}
