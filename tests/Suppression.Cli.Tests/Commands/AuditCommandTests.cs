using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class AuditCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Audit_sends_every_filter_with_one_type_parameter_per_type()
    {
        var result = await new CliRunner(_gateway).RunAsync(
            "audit", "--address", "jane+x@example.com", "--type", "suppressed", "--type", "erased",
            "--from", "2026-11-01T00:00:00+01:00", "--to", "2026-12-01", "--format", "ndjson");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "/api/v1/audit?address=jane%2Bx%40example.com&type=suppressed&type=erased&from=2026-11-01T00%3A00%3A00%2B01%3A00&to=2026-12-01&format=ndjson",
            _gateway.SingleRequest().RawTarget);
        Assert.Equal(_gateway.AuditBody, result.StandardOutputBytes);
    }

    [Fact]
    public async Task Audit_without_filters_sends_only_the_format()
    {
        var result = await new CliRunner(_gateway).RunAsync("audit");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("/api/v1/audit?format=csv", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task Audit_to_a_file_writes_the_exact_bytes()
    {
        var output = Path.Combine(Path.GetTempPath(), $"suppression-audit-{Guid.NewGuid():N}.ndjson");
        try
        {
            var result = await new CliRunner(_gateway).RunAsync("audit", "--type", "imported", "--output", output);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(_gateway.AuditBody, File.ReadAllBytes(output));
            Assert.Equal("/api/v1/audit?type=imported&format=csv", _gateway.SingleRequest().RawTarget);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
