using System.Text.Json;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Audit;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisAuditLogTests(RedisBackendsFixture backends)
{
    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_consent_event_is_appended_as_one_json_record_with_contract_names(string backend)
    {
        var connection = backends[backend].Connection;
        var layout = new RedisKeyLayout(backends[backend].Layout.Prefix + Guid.NewGuid().ToString("N")[..8] + ":");
        var log = new RedisAuditLog(connection, layout);
        var first = new AuditRecord(
            new DateTimeOffset(2026, 11, 23, 21, 0, 0, TimeSpan.FromHours(1)), AuditAction.Suppressed, AddressNormalizer.Normalize("Jürgen+news@Bücher.example"),
            SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, true,
            "acme", "deals", "192.0.2.7", "Mozilla/5.0 \"quoted\"", null);

        await log.AppendAsync(first, CancellationToken.None);
        await log.AppendAsync(first with { Action = AuditAction.Resubscribed, Source = SuppressionSource.Page, Changed = false, Evidence = "undo" }, CancellationToken.None);

        var records = await connection.GetDatabase().ListRangeAsync(layout.AuditLogKey);
        Assert.Equal(2, records.Length);
        Assert.Equal(
            """{"time":"2026-11-23T20:00:00Z","action":"suppressed","address":"jürgen+news@xn--bcher-kva.example","scope":"topic:acme/deals","reason":"unsubscribe","source":"one-click","changed":true,"tenant":"acme","topic":"deals","clientIp":"192.0.2.7","userAgent":"Mozilla/5.0 \"quoted\"","evidence":null}""",
            records[0].ToString());
        using var second = JsonDocument.Parse(records[1].ToString());
        Assert.Equal(("resubscribed", "page", false, "undo"), (
            second.RootElement.GetProperty("action").GetString(),
            second.RootElement.GetProperty("source").GetString(),
            second.RootElement.GetProperty("changed").GetBoolean(),
            second.RootElement.GetProperty("evidence").GetString()));
    }
}
