using System.Text;
using System.Text.Json;
using Suppression.Addresses;
using Suppression.Redis.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Tests.Fixtures;

namespace Suppression.Redis.Tests.Feedback;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisFeedbackStoreTests(RedisBackendsFixture backends)
{
    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Soft_bounces_of_every_variant_of_a_mailbox_count_together_and_expire_with_the_window(string backend)
    {
        var (store, layout) = Open(backend);
        var window = TimeSpan.FromMinutes(10);

        Assert.Equal(1, await store.CountSoftBounceAsync(AddressNormalizer.Normalize("J.Doe@gmail.com"), window, CancellationToken.None));
        Assert.Equal(2, await store.CountSoftBounceAsync(AddressNormalizer.Normalize("jdoe+x@googlemail.com"), window, CancellationToken.None));
        Assert.Equal(1, await store.CountSoftBounceAsync(AddressNormalizer.Normalize("someone.else@gmail.com"), window, CancellationToken.None));

        var ttl = await backends[backend].Connection.GetDatabase().KeyTimeToLiveAsync(layout.SoftBounceKey(AddressNormalizer.Normalize("jdoe@gmail.com")));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(9), window);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Rejected_reports_are_kept_newest_last_with_reason_and_the_start_of_the_message(string backend)
    {
        var (store, layout) = Open(backend);
        var huge = Encoding.ASCII.GetBytes("Subject: bounce\r\n\r\n" + new string('x', 200_000));

        await store.KeepRejectedAsync(DateTimeOffset.UnixEpoch, "192.0.2.1", "192.0.2.0/24", 10, Window, "Unrecognized: no multipart/report", huge, CancellationToken.None);
        await store.KeepRejectedAsync(DateTimeOffset.UnixEpoch, "192.0.2.2", "192.0.2.0/24", 10, Window, "Malformed: no recipient", "Subject: second\r\n\r\n"u8.ToArray(), CancellationToken.None);

        var kept = await backends[backend].Connection.GetDatabase().ListRangeAsync(layout.RejectedFeedbackKey);
        Assert.Equal(2, kept.Length);
        using var first = JsonDocument.Parse(kept[0].ToString());
        Assert.Equal("Unrecognized: no multipart/report", first.RootElement.GetProperty("reason").GetString());
        Assert.Equal(64 * 1024, first.RootElement.GetProperty("message").GetString()!.Length);
        Assert.Contains("second", kept[1].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_source_past_its_share_keeps_nothing_more_and_other_sources_still_keep_theirs(string backend)
    {
        var (store, layout) = Open(backend);

        var junk = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            junk.Add(await store.KeepRejectedAsync(DateTimeOffset.UnixEpoch, "198.51.100.7", "198.51.100.0/24", 3, Window, "Unrecognized: junk", "junk"u8.ToArray(), CancellationToken.None));
        }

        var other = await store.KeepRejectedAsync(DateTimeOffset.UnixEpoch, "192.0.2.1", "192.0.2.0/24", 3, Window, "Malformed: real", "real"u8.ToArray(), CancellationToken.None);

        Assert.Equal([true, true, true, false, false], junk);
        Assert.True(other);
        var kept = await backends[backend].Connection.GetDatabase().ListRangeAsync(layout.RejectedFeedbackKey);
        Assert.Equal(4, kept.Length);
        Assert.Contains("real", kept[^1].ToString(), StringComparison.Ordinal);
        var ttl = await backends[backend].Connection.GetDatabase().KeyTimeToLiveAsync(layout.KeptFeedbackCounterKey("198.51.100.0/24"));
        Assert.InRange(ttl!.Value, Window - TimeSpan.FromMinutes(1), Window);
    }

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private (RedisFeedbackStore Store, RedisKeyLayout Layout) Open(string backend)
    {
        var layout = new RedisKeyLayout(backends[backend].Layout.Prefix + Guid.NewGuid().ToString("N")[..8] + ":");
        return (new RedisFeedbackStore(backends[backend].Connection, layout), layout);
    }
}
