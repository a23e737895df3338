using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Hosting;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Connection;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;

namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// The compact format through running gateways: a new store starts compact; a store written as
/// text is upgraded through one instance's API while another keeps serving, and both go on
/// enforcing every opt-out, write compact from their next write, and export the same list.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class StorageUpgradeTests : IAsyncLifetime
{
    private readonly TestSmtpSink _sink = new();
    private readonly List<GatewayInstance> _gateways = [];

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_new_store_is_compact_from_the_first_opt_out(string backend)
    {
        var gateway = await StartAsync(GatewayInstance.RedisFor(backend), NewPrefix());
        var address = Mail.UniqueAddress("first");

        await AddAsync(gateway, address);

        Assert.Equal("compact", await FormatAsync(gateway));
        Assert.True(CompactValueCodec.IsCompact(await RawAsync(gateway, address)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_text_store_upgraded_through_one_instance_is_enforced_and_written_compact_by_both(string backend)
    {
        var prefix = NewPrefix();
        var first = await StartAsync(GatewayInstance.RedisFor(backend), prefix);
        await Connection(first).GetDatabase().StringSetAsync(Layout(first).FormatKey, "1");
        var second = await StartAsync(
            GatewayInstance.RedisFor(backend) ?? ((SuppressionStorage)first.Services.GetService(typeof(SuppressionStorage))!).Embedded!.ConfigurationString, prefix);

        var optedOut = Enumerable.Range(0, 4).Select(i => Mail.UniqueAddress("api" + i)).ToList();
        foreach (var address in optedOut)
        {
            await AddAsync(second, address);
        }

        var imported = Enumerable.Range(0, 3).Select(i => Mail.UniqueAddress("imported" + i)).ToList();
        using (var import = await first.Http.PostAsync("/api/v1/suppressions/import", new StringContent(
            "email,created\n" + string.Concat(imported.Select(address => address + ",1700000000\n")), Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        Assert.Equal("text", await FormatAsync(second));
        Assert.False(CompactValueCodec.IsCompact(await RawAsync(first, optedOut[0])));
        var exportBefore = await ExportAsync(first);
        Assert.Superset(optedOut.Concat(imported).ToHashSet(), exportBefore.ToHashSet());

        using (var upgrade = await first.Http.PostAsync("/api/v1/storage/upgrade", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, upgrade.StatusCode);
            var result = await upgrade.Content.ReadFromJsonAsync<JsonElement>();
            // Every mailbox the export listed (the warm-up's own included), each converted.
            Assert.Equal(("compact", exportBefore.Count, exportBefore.Count, 0), (result.GetProperty("format").GetString(), result.GetProperty("mailboxes").GetInt32(),
                result.GetProperty("converted").GetInt32(), result.GetProperty("keptAsText").GetInt32()));
        }

        // The second instance was not restarted: its next write is compact.
        var late = Mail.UniqueAddress("late");
        await AddAsync(second, late);
        optedOut.Add(late);
        foreach (var address in optedOut.Concat(imported))
        {
            Assert.True(CompactValueCodec.IsCompact(await RawAsync(second, address)));
        }

        var kept = Mail.UniqueAddress("kept");
        var message = Mail.Create("news@sender.test", [.. optedOut, .. imported, kept]);
        await Mail.SendAsync(second.SmtpPort, message);
        Assert.Equal([kept], Assert.Single(_sink.Messages, copy => copy.Text.Contains(message.MessageId!, StringComparison.Ordinal)).Recipients);

        var exportAfter = await ExportAsync(second);
        Assert.Equal(exportBefore.Append(late).Order(StringComparer.Ordinal), exportAfter.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_entry_this_version_cannot_read_defers_the_recipient_instead_of_delivering(string backend)
    {
        var gateway = await StartAsync(GatewayInstance.RedisFor(backend), NewPrefix());
        var address = Mail.UniqueAddress("later");
        await AddAsync(gateway, address);

        // As a later version might write it: the entry's reason code (15) is one this version lacks.
        var slot = Layout(gateway).Locate(AddressNormalizer.Normalize(address));
        var value = await RawAsync(gateway, address);
        value[1] = 0xF4;
        await Connection(gateway).GetDatabase().HashSetAsync(slot.BucketKey, slot.Field, value);

        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "marketing.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
        Assert.StartsWith("451 4.3.0", await client.CommandAsync($"RCPT TO:<{address}>"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{Mail.UniqueAddress("kept")}>"));
        using var lookup = await gateway.Http.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(address)}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.StatusCode);
    }

    [Fact]
    public async Task A_store_marked_by_a_later_version_stops_start_up_with_one_line_naming_the_marker()
    {
        var first = await StartAsync(redis: null, NewPrefix());
        var prefix = NewPrefix();
        await Connection(first).GetDatabase().StringSetAsync(prefix + "format", "4");
        var shared = ((SuppressionStorage)first.Services.GetService(typeof(SuppressionStorage))!).Embedded!.ConfigurationString;

        var refused = await Assert.ThrowsAsync<GatewayConfigurationException>(() => StartAsync(shared, prefix));

        Assert.Contains("(sup:format) is '4'", Assert.Single(refused.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_store_moved_to_hashed_keeps_no_address_and_its_export_restores_the_list_into_another_store(string backend)
    {
        var redis = GatewayInstance.RedisFor(backend);
        var source = await StartAsync(redis, NewPrefix());
        var optedOut = Enumerable.Range(0, 3).Select(i => Mail.UniqueAddress("api" + i)).ToList();
        foreach (var address in optedOut)
        {
            await AddAsync(source, address);
        }

        var imported = Enumerable.Range(0, 2).Select(i => Mail.UniqueAddress("imported" + i)).ToList();
        using (var import = await source.Http.PostAsync("/api/v1/suppressions/import", Csv("email,created\n" + string.Concat(imported.Select(address => address + ",1700000000\n")))))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        using (var upgrade = await source.Http.PostAsync("/api/v1/storage/upgrade?format=hashed", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, upgrade.StatusCode);
            var result = await upgrade.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("hashed", result.GetProperty("format").GetString());
            Assert.Equal(result.GetProperty("mailboxes").GetInt32(), result.GetProperty("converted").GetInt32());
        }

        Assert.Equal("hashed", await FormatAsync(source));
        foreach (var address in optedOut.Concat(imported))
        {
            Assert.DoesNotContain(address.Split('@')[0], Encoding.Latin1.GetString(await RawAsync(source, address)), StringComparison.Ordinal);
        }

        using (var back = await source.Http.PostAsync("/api/v1/storage/upgrade?format=compact", content: null))
        {
            Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
            Assert.Contains("cannot be moved back", await back.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unknown = await source.Http.PostAsync("/api/v1/storage/upgrade?format=tiny", content: null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("compact (the default) or hashed", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The export names no address, only mailbox keys; imported into a new store (hashed from
        // the start, by configuration), it suppresses every one of them there.
        var export = await source.Http.GetStringAsync("/api/v1/suppressions/export?format=csv");
        var rows = export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("address,address_hash,scope,reason,source,created_at,batch,mailbox_key", rows[0]);
        Assert.All(rows.Skip(1), row => Assert.StartsWith(",,", row, StringComparison.Ordinal));
        var target = await StartAsync(redis ?? EmbeddedOf(source), NewPrefix(), new Dictionary<string, string> { ["Suppression:NewStoreFormat"] = "Hashed" });
        Assert.Equal("hashed", await FormatAsync(target));
        using (var restore = await target.Http.PostAsync("/api/v1/suppressions/import", Csv(export)))
        {
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
            var result = await restore.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((rows.Length - 1, 0), (result.GetProperty("rows").GetInt32(), result.GetProperty("rejected").GetInt32()));
        }

        var kept = Mail.UniqueAddress("kept");
        var message = Mail.Create("news@sender.test", [.. optedOut, .. imported, kept]);
        await Mail.SendAsync(target.SmtpPort, message);
        Assert.Equal([kept], Assert.Single(_sink.Messages, copy => copy.Text.Contains(message.MessageId!, StringComparison.Ordinal)).Recipients);
    }

    [Fact]
    public async Task Asking_a_store_with_data_to_start_hashed_warns_that_it_stays_as_it_is()
    {
        var first = await StartAsync(redis: null, NewPrefix());
        var prefix = NewPrefix();
        await AddAsync(first, Mail.UniqueAddress("first"));
        var layout = new RedisKeyLayout(prefix);
        await Connection(first).GetDatabase().HashSetAsync(layout.BucketKey("00000"), "field", "global\tunsubscribe\tapi\t1700000000");

        using var loggers = CapturedLog.NewFactory(out var log);
        await using var storage = new SuppressionStorage(EmbeddedOf(first), Path.GetTempPath(), layout, StorageFormat.Hashed, loggers);
        await storage.StartAsync(CancellationToken.None);

        var warning = Assert.Single(log.Entries);
        Assert.Contains("Suppression:NewStoreFormat is Hashed, but this store holds data and stays Text", warning, StringComparison.Ordinal);
        Assert.Contains("upgrade?format=hashed", warning, StringComparison.Ordinal);
        Assert.False(await Connection(first).GetDatabase().KeyExistsAsync(layout.FormatKey));
    }

    [Fact]
    public async Task A_compliance_key_may_read_the_format_but_not_upgrade()
    {
        const string complianceKey = "compliance-key-for-storage-0123";
        var gateway = await StartAsync(redis: null, NewPrefix(), new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = complianceKey,
        });
        using var client = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", complianceKey);

        using var read = await client.GetAsync("/api/v1/storage");
        using var upgrade = await client.PostAsync("/api/v1/storage/upgrade", content: null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, upgrade.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Newest first: a later instance may be using the first one's embedded server.
        for (var i = _gateways.Count - 1; i >= 0; i--)
        {
            await _gateways[i].DisposeAsync();
        }

        await _sink.DisposeAsync();
    }

    private static string NewPrefix() => "fmt-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static string EmbeddedOf(GatewayInstance gateway) => ((SuppressionStorage)gateway.Services.GetService(typeof(SuppressionStorage))!).Embedded!.ConfigurationString;

    private static IConnectionMultiplexer Connection(GatewayInstance gateway) => (IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!;

    private static RedisKeyLayout Layout(GatewayInstance gateway) => (RedisKeyLayout)gateway.Services.GetService(typeof(RedisKeyLayout))!;

    private static async Task<byte[]> RawAsync(GatewayInstance gateway, string address)
    {
        var slot = Layout(gateway).Locate(AddressNormalizer.Normalize(address));
        return (byte[])(await Connection(gateway).GetDatabase().HashGetAsync(slot.BucketKey, slot.Field))!;
    }

    private static async Task AddAsync(GatewayInstance gateway, string address)
    {
        using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "unsubscribe" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
    }

    private static async Task<string?> FormatAsync(GatewayInstance gateway) =>
        (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/storage")).GetProperty("format").GetString();

    // The addresses of the list's export (NDJSON), one per entry.
    private static async Task<List<string>> ExportAsync(GatewayInstance gateway)
    {
        var text = await gateway.Http.GetStringAsync("/api/v1/suppressions/export?format=ndjson");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("address").GetString()!)];
    }

    private async Task<GatewayInstance> StartAsync(string? redis, string prefix, Dictionary<string, string>? settings = null)
    {
        settings ??= [];
        settings["Suppression:RedisKeyPrefix"] = prefix;
        var gateway = await GatewayInstance.StartAsync(redis, _sink.Port, settings);
        _gateways.Add(gateway);
        await gateway.WarmUpAsync();
        return gateway;
    }
}
