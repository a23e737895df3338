using System.Globalization;
using System.Text;
using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class ImportCommandTests : IAsyncLifetime
{
    private const string AllAccepted = """
        {"batch":"b-2","format":"plain","fileSha256":"ab12","rows":2,"imported":1,"unchanged":1,"rejected":0,"errors":[],"errorsTruncated":false}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("suppression-cli-test-").FullName;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Import_streams_the_file_unchanged_as_csv_with_the_scope_and_the_bearer_key()
    {
        // About 2 MB, CRLF line ends, a BOM and non-ASCII: the gateway must see these exact bytes.
        var csv = new StringBuilder("\uFEFFemail,reason,created\r\n");
        for (var row = 0; row < 40_000; row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"user{row}@exämple.com,bounce,2026-11-{1 + (row % 28):00}\r\n");
        }

        var file = WriteFile("bounces.csv", Encoding.UTF8.GetBytes(csv.ToString()));

        var result = await new CliRunner(_gateway).RunAsync("import", file, "--scope", "topic:acme/news letter");

        Assert.Equal(0, result.ExitCode);
        var request = _gateway.SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/suppressions/import?scope=topic%3Aacme%2Fnews%20letter", request.RawTarget);
        Assert.Equal("text/csv", request.ContentType);
        Assert.Equal("Bearer " + FakeGateway.ApiKey, request.Authorization);
        Assert.Equal(File.ReadAllBytes(file), request.Body);
        Assert.Equal(new FileInfo(file).Length, request.ContentLength);
        Assert.False(request.Chunked);
    }

    [Fact]
    public async Task Import_without_a_scope_leaves_it_to_the_gateway()
    {
        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", "a@example.com\n"u8.ToArray()));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("/api/v1/suppressions/import", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task Import_of_a_plain_list_passes_the_reason_and_evidence_as_query_parameters()
    {
        var result = await new CliRunner(_gateway).RunAsync(
            "import", WriteFile("list.csv", "a@example.com\n"u8.ToArray()), "--reason", "unsubscribe", "--evidence", "DPO ticket 812 & co");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("/api/v1/suppressions/import?reason=unsubscribe&evidence=DPO%20ticket%20812%20%26%20co", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task Import_prints_the_counts_and_each_rejected_line_and_exits_0()
    {
        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", "a@example.com\n"u8.ToArray()));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            format:    sendgrid-bounces
            rows:      4
            imported:  2
            unchanged: 0
            rejected:  2
            batch:     b-20261123-1
            sha256:    9f86d081884c7d65
            line 3: not an email address
            line 5: unknown reason 'maybe'

            """,
            result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Import_says_when_the_gateway_listed_only_some_rejected_lines()
    {
        _gateway.ImportReply = """
            {"batch":"b-3","format":"plain","fileSha256":"cd34","rows":5000,"imported":0,"unchanged":0,"rejected":5000,"errors":[{"line":1,"reason":"bad"}],"errorsTruncated":true}
            """;

        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", "x\n"u8.ToArray()));

        Assert.Contains("line 1: bad", result.Out, StringComparison.Ordinal);
        Assert.Contains("only the first 1 of 5000 rejected lines", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_strict_exits_5_when_rows_were_rejected()
    {
        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", "a@example.com\n"u8.ToArray()), "--strict");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("line 3: not an email address", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_strict_exits_0_when_every_row_was_accepted()
    {
        _gateway.ImportReply = AllAccepted;

        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", "a@example.com\n"u8.ToArray()), "--strict");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Import_of_a_missing_file_is_a_usage_error_and_sends_nothing()
    {
        var result = await new CliRunner(_gateway).RunAsync("import", Path.Combine(_directory, "missing.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.csv", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Import_draws_upload_progress_on_a_terminal_and_ends_the_line()
    {
        var file = WriteFile("list.csv", new byte[300_000]);

        var result = await new CliRunner(_gateway) { ErrorIsTerminal = true }.RunAsync("import", file);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("\r[", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("100% 300.0 kB / 300.0 kB" + Environment.NewLine, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_draws_no_progress_when_stderr_is_redirected()
    {
        var result = await new CliRunner(_gateway).RunAsync("import", WriteFile("list.csv", new byte[300_000]));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
    }

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
