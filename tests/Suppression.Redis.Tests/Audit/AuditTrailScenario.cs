using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Redis.Webhooks;

namespace Suppression.Redis.Tests.Audit;

/// <summary>
/// The Redis pieces of the audit trail wired as the gateway wires them, on a key prefix of the
/// test's own, so whole-trail walks (verify, export) see only this test's records.
/// </summary>
internal sealed class AuditTrailScenario
{
    /// <param name="webhooks">Webhooks on: the writer pushes outbox pointers and erasure redacts queued payloads.</param>
    public AuditTrailScenario(RedisBackend backend, WebhookOutbox? webhooks = null)
    {
        Connection = backend.Connection;
        Layout = new RedisKeyLayout(backend.Layout.Prefix + Guid.NewGuid().ToString("N")[..8] + ":");
        if (backend.Format != StorageFormat.Text)
        {
            Connection.GetDatabase().StringSet(Layout.FormatKey, ((int)backend.Format).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Writer = new AuditedChangeWriter(Connection, Layout, TestAudit.Key, outbox: webhooks);
        Store = new RedisSuppressionStore(Connection, Layout, Writer);
        Blocked = new RedisBlockedDeliveryLog(Layout, Writer);
        Trail = new RedisAuditTrail(Connection, Layout, TestAudit.Key, TimeProvider.System);
        Erasure = new RedisErasure(Connection, Layout, Writer, webhooks);
        List = new RedisSuppressionList(Connection, Layout, Writer);
        Retention = new RedisAuditRetention(Connection, Layout, TestAudit.Key);
    }

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    public RedisKeyLayout Layout { get; }

    public AuditedChangeWriter Writer { get; }

    public RedisSuppressionStore Store { get; }

    public RedisBlockedDeliveryLog Blocked { get; }

    public RedisAuditTrail Trail { get; }

    public RedisErasure Erasure { get; }

    public RedisSuppressionList List { get; }

    public RedisAuditRetention Retention { get; }

    public AuditChainKeys ChainsOf(NormalizedAddress address) => Layout.ChainKeys(Layout.Locate(address).Bucket);

    public async Task<List<AuditEntry>> HistoryAsync(NormalizedAddress address)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in Trail.SearchAsync(new AuditQuery(address), CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Every key and value under this scenario's prefix, as text: what someone reading a Redis dump would see.</summary>
    public async Task<string> DumpAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var endpoint in Connection.GetEndPoints())
        {
            await foreach (var key in Connection.GetServer(endpoint).KeysAsync(pattern: Layout.Prefix + "*"))
            {
                text.Append(key).Append('\n');
                var type = await Database.KeyTypeAsync(key);
                if (type == RedisType.Hash)
                {
                    foreach (var field in await Database.HashGetAllAsync(key))
                    {
                        text.Append(field.Name).Append('=').Append(field.Value).Append('\n');
                    }
                }
                else if (type == RedisType.List)
                {
                    foreach (var element in await Database.ListRangeAsync(key))
                    {
                        text.Append(element).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }
}
