using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression check &lt;file&gt;</c>: a list cleaned before a send. The file is streamed to
/// <c>POST /api/v1/suppressions/check</c> and the answers, one per address in input order and in the
/// file's format, are written as they come back. The gateway ends a whole answer with a record that
/// says so; anything else (a list that became unreachable, a cut connection) is exit 1, so a script
/// never takes a partial answer for a whole one.
/// </summary>
internal sealed class CheckCommand : Command
{
    private const int BufferSize = 81920;

    private readonly Argument<FileInfo> _file = new Argument<FileInfo>("file")
    {
        Description = "The addresses: a CSV file with a column 'email' or 'address', or NDJSON (.ndjson, .jsonl: a line {\"address\": ...} each)",
    }.AcceptExistingOnly();

    private readonly Option<string?> _tenant = new("--tenant") { Description = "The tenant the mail is sent for [default: none; for a tenant key, its own]", HelpName = "id" };
    private readonly Option<string?> _topic = new("--topic") { Description = "The topic (list) of the mail", HelpName = "id" };
    private readonly Option<string?> _class = new("--class") { Description = "marketing or transactional [default: the tenant's default class]", HelpName = "class" };
    private readonly Option<FileInfo?> _output = Download.OutputOption();
    private readonly Terminal _terminal;

    public CheckCommand(GatewayCommandRunner runner)
        : base("check", "Check a file of addresses as SMTP would decide for mail of one context; answers in the file's format (exit 1: not every address was answered)")
    {
        _terminal = runner.Terminal;
        Add(_file);
        Add(_tenant);
        Add(_topic);
        Add(_class);
        Add(_output);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var file = parseResult.GetRequiredValue(_file);
        var ndjson = file.Extension.ToLowerInvariant() is ".ndjson" or ".jsonl";
        var query = new QueryString()
            .Add("tenant", parseResult.GetValue(_tenant))
            .Add("topic", parseResult.GetValue(_topic))
            .Add("class", parseResult.GetValue(_class));

        await using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new StreamContent(source, BufferSize);
        content.Headers.ContentType = new MediaTypeHeaderValue(ndjson ? "application/x-ndjson" : "text/csv");
        content.Headers.ContentLength = source.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/suppressions/check" + query) { Content = content };

        // The answers start while the file is still being sent (the gateway answers a chunk at a time).
        using var response = await gateway.SendSuccessfulAsync(request, cancellationToken);
        var last = new LastLine();
        await Download.SaveAsync(response, parseResult.GetValue(_output), _terminal, cancellationToken, last.Add);

        var (complete, summary) = ndjson ? ReadNdjsonEnd(last.ToString()) : ReadCsvEnd(last.ToString());
        await _terminal.Error.WriteLineAsync(complete ? summary : "error: " + summary);
        return complete ? ExitCodes.Success : ExitCodes.Failed;
    }

    // {"complete": true, "counts": {...}} or {"complete": false, "error": {...}}
    private static (bool Complete, string Summary) ReadNdjsonEnd(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("complete", out var complete) && complete.ValueKind == JsonValueKind.True && root.TryGetProperty("counts", out var counts))
            {
                return (true, $"{counts.GetProperty("addresses")} addresses: {counts.GetProperty("deliver")} deliver, "
                    + $"{counts.GetProperty("suppressed")} suppressed, {counts.GetProperty("invalid")} invalid");
            }

            if (root.TryGetProperty("complete", out complete) && complete.ValueKind == JsonValueKind.False && root.TryGetProperty("error", out var error))
            {
                return (false, $"the check stopped part-way ({error.GetProperty("title")}: {error.GetProperty("detail")}); only the answers written were checked");
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }

        return (false, CutOff);
    }

    // The closing row: ",complete,,,,,<counts>" or ",incomplete,,,,,<why>" (the gateway's CSV answer).
    private static (bool Complete, string Summary) ReadCsvEnd(string line)
    {
        var fields = line.Split(',', 7);
        return fields.Length == 7 && fields[0].Length == 0 && fields[1] is "complete" or "incomplete"
            ? (fields[1] == "complete", fields[1] == "complete"
                ? fields[6].Trim('"')
                : $"the check stopped part-way ({fields[6].Trim('"')})")
            : (false, CutOff);
    }

    private const string CutOff = "the answer ended without its closing record: it was cut off, and not every address was answered";
}
