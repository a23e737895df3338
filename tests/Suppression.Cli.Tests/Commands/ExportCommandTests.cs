using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class ExportCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("suppression-cli-test-").FullName;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Export_to_a_file_writes_the_exact_bytes_received_and_leaves_no_partial_file()
    {
        _gateway.ExportBody = [.. "address,scope\r\n"u8, .. Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251))];
        var output = Path.Combine(_directory, "list.csv");

        var result = await new CliRunner(_gateway).RunAsync("export", "--output", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_gateway.ExportBody, File.ReadAllBytes(output));
        Assert.Equal([output], Directory.GetFiles(_directory));
        Assert.Equal("/api/v1/suppressions/export?format=csv", _gateway.SingleRequest().RawTarget);
        Assert.Empty(result.StandardOutputBytes);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Export_to_a_file_replaces_an_existing_file_and_reports_lines_written()
    {
        var output = Path.Combine(_directory, "list.csv");
        File.WriteAllText(output, "old contents that are longer than the new ones, much longer, really");

        var result = await new CliRunner(_gateway).RunAsync("export", "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_gateway.ExportBody, File.ReadAllBytes(output));
        Assert.StartsWith("wrote 3 lines (", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_without_output_writes_the_exact_bytes_to_stdout_in_the_format_asked()
    {
        var result = await new CliRunner(_gateway).RunAsync("export", "--format", "ndjson");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_gateway.ExportBody, result.StandardOutputBytes);
        Assert.Equal("/api/v1/suppressions/export?format=ndjson", _gateway.SingleRequest().RawTarget);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Export_in_an_unknown_format_is_a_usage_error()
    {
        var result = await new CliRunner(_gateway).RunAsync("export", "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Export_refused_by_the_gateway_creates_no_file()
    {
        _gateway.FailEverything = (503, "application/problem+json", """{"title":"Service unavailable","detail":"Try again in a few seconds.","status":503}""");
        var output = Path.Combine(_directory, "list.csv");

        var result = await new CliRunner(_gateway).RunAsync("export", "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Service unavailable: Try again in a few seconds.", result.Error.TrimEnd());
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Export_to_a_file_draws_bytes_and_lines_received_on_a_terminal()
    {
        var output = Path.Combine(_directory, "list.csv");

        var result = await new CliRunner(_gateway) { ErrorIsTerminal = true }.RunAsync("export", "--output", output);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("\r", result.Error, StringComparison.Ordinal);
        Assert.Contains("wrote 3 lines (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, result.Error, StringComparison.Ordinal);
    }
}
