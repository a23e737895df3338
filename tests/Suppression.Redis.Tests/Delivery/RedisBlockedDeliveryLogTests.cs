using System.Net;
using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Delivery;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisBlockedDeliveryLogTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Time = new(2024, 11, 22, 19, 13, 20, TimeSpan.FromHours(1));

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Blocked_delivery_is_appended_to_log(string backend)
    {
        var (database, log, key) = Open(backend);
        var delivery = new BlockedDelivery(
            Time,
            IPAddress.Parse("192.0.2.10"),
            "news+bounces@sender.example",
            AddressNormalizer.Normalize("Jürgen@Bücher.example"),
            SuppressionReason.HardBounce,
            SuppressionScope.ForTopic("acme", "news"),
            "<1234@sender.example>");

        await log.RecordAsync([delivery], CancellationToken.None);

        var record = Assert.Single(await database.ListRangeAsync(key));
        Assert.Equal(
            """{"time":"2024-11-22T18:13:20Z","clientIp":"192.0.2.10","sender":"news+bounces@sender.example","recipient":"jürgen@xn--bcher-kva.example","reason":"hard-bounce","scope":"topic:acme/news","messageId":"<1234@sender.example>"}""",
            record.ToString());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Records_of_one_call_are_appended_in_order(string backend)
    {
        var (database, log, key) = Open(backend);
        await log.RecordAsync([Delivery("first@example.org")], CancellationToken.None);

        await log.RecordAsync([Delivery("second@example.org"), Delivery("third@example.org")], CancellationToken.None);

        var recipients = (await database.ListRangeAsync(key))
            .Select(record => JsonDocument.Parse(record.ToString()).RootElement.GetProperty("recipient").GetString());
        Assert.Equal(["first@example.org", "second@example.org", "third@example.org"], recipients);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Missing_message_id_is_written_as_null(string backend)
    {
        var (database, log, key) = Open(backend);

        await log.RecordAsync([Delivery("someone@example.org") with { MessageId = null }], CancellationToken.None);

        using var record = JsonDocument.Parse(Assert.Single(await database.ListRangeAsync(key)).ToString());
        Assert.Equal(JsonValueKind.Null, record.RootElement.GetProperty("messageId").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Empty_call_writes_nothing(string backend)
    {
        var (database, log, key) = Open(backend);

        await log.RecordAsync([], CancellationToken.None);

        Assert.False(await database.KeyExistsAsync(key));
    }

    private static BlockedDelivery Delivery(string recipient) => new(
        Time,
        IPAddress.IPv6Loopback,
        "sender@example.com",
        AddressNormalizer.Normalize(recipient),
        SuppressionReason.Unsubscribe,
        SuppressionScope.Global,
        "<id@example.com>");

    // Each test writes to its own list, so tests sharing the server cannot see each other's records.
    private (IDatabase Database, RedisBlockedDeliveryLog Log, RedisKey Key) Open(string backend)
    {
        var connection = backends[backend].Connection;
        var layout = new RedisKeyLayout(backends[backend].Layout.Prefix + Guid.NewGuid().ToString("N")[..8] + ":");
        return (connection.GetDatabase(), new RedisBlockedDeliveryLog(connection, layout), layout.BlockedDeliveryLogKey);
    }
}
