using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

/// <summary>
/// <c>suppression check</c>: the answers are written as received, and the exit code says whether the
/// gateway's closing record was there, so a script never takes a partial answer for a whole one.
/// </summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("suppression-cli-check-").FullName;
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_complete_answer_goes_to_stdout_unchanged_with_the_counts_on_stderr_and_exit_0()
    {
        var list = await WriteAsync("audience.ndjson", "{\"address\":\"jane@example.com\"}\n");

        var result = await new CliRunner(_gateway).RunAsync("check", list, "--tenant", "acme", "--topic", "news", "--class", "marketing");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(_gateway.CheckReply, System.Text.Encoding.UTF8.GetString(result.StandardOutputBytes));
        Assert.Equal("1 addresses: 0 deliver, 1 suppressed, 0 invalid", result.Error.Trim());
        var request = _gateway.SingleRequest();
        Assert.Equal("/api/v1/suppressions/check?tenant=acme&topic=news&class=marketing", request.RawTarget);
        Assert.Equal("application/x-ndjson", request.ContentType);
        Assert.Equal("{\"address\":\"jane@example.com\"}\n"u8.ToArray(), request.Body);
    }

    [Fact]
    public async Task An_answer_that_stopped_part_way_or_was_cut_off_is_exit_1_with_one_line_saying_so()
    {
        var list = await WriteAsync("audience.ndjson", "{\"address\":\"jane@example.com\"}\n");

        _gateway.CheckReply = "{\"address\":\"jane@example.com\",\"verdict\":\"deliver\"}\n"
            + "{\"complete\":false,\"error\":{\"status\":503,\"title\":\"Suppression list unavailable\",\"detail\":\"Redis did not answer.\"},\"counts\":{\"addresses\":1}}\n";
        var stopped = await new CliRunner(_gateway).RunAsync("check", list);
        _gateway.CheckReply = "{\"address\":\"jane@example.com\",\"verdict\":\"deliver\"}\n";
        var cut = await new CliRunner(_gateway).RunAsync("check", list);

        Assert.Equal(1, stopped.ExitCode);
        Assert.Equal("error: the check stopped part-way (Suppression list unavailable: Redis did not answer.); only the answers written were checked", stopped.Error.Trim());
        Assert.Equal(1, cut.ExitCode);
        Assert.StartsWith("error: the answer ended without its closing record", cut.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_file_is_sent_as_csv()
    {
        var list = await WriteAsync("audience.csv", "email\r\njane@example.com\r\n");

        await new CliRunner(_gateway).RunAsync("check", list);

        Assert.Equal("text/csv", _gateway.SingleRequest().ContentType);
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
