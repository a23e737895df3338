using System.CommandLine;
using System.Net.Http.Headers;
using Suppression.Cli.Gateway;
using Suppression.Cli.Progress;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression import &lt;file&gt;</c>: uploads a CSV file as the request body, streamed from disk
/// (a million rows is about 40 MB), and prints the gateway's summary and the lines it rejected.
/// </summary>
internal sealed class ImportCommand : Command
{
    private const int BufferSize = 81920;

    private readonly Argument<FileInfo> _file = new Argument<FileInfo>("file")
    {
        Description = "A CSV file of addresses; the gateway recognises the format (our export, an ESP's or a marketing platform's suppression export, or a plain list of addresses)",
    }.AcceptExistingOnly();

    private readonly Option<string?> _scope = new("--scope")
    {
        Description = "Where the suppressions apply: global, tenant:<id> or topic:<tenant>/<topic> [default: global; for a tenant key, its tenant]",
        HelpName = "scope",
    };

    private readonly Option<string?> _reason = new("--reason")
    {
        Description = "For a plain address list, why its addresses are listed: unsubscribe, complaint, hard-bounce, manual or import [default: manual, which needs --evidence]",
        HelpName = "reason",
    };

    private readonly Option<string?> _evidence = new("--evidence")
    {
        Description = "Why the file may be suppressed (who asked, a ticket), kept in the batch's audit record; required for a manual list",
        HelpName = "text",
    };

    private readonly Option<bool> _strict = new("--strict") { Description = "Exit 5 when the gateway rejects any row" };
    private readonly Terminal _terminal;

    public ImportCommand(GatewayCommandRunner runner)
        : base("import", "Import a CSV file of suppressions (exit 5 with --strict: rows were rejected)")
    {
        _terminal = runner.Terminal;
        Add(_file);
        Add(_scope);
        Add(_reason);
        Add(_evidence);
        Add(_strict);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var file = parseResult.GetRequiredValue(_file);
        var query = new QueryString()
            .Add("scope", parseResult.GetValue(_scope))
            .Add("reason", parseResult.GetValue(_reason))
            .Add("evidence", parseResult.GetValue(_evidence));

        ImportResponse result;
        await using (var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
        using (var progress = _terminal.IsErrorRedirected ? null : new ProgressLine(_terminal.Error, _terminal.ErrorWidth(), _terminal.Time))
        {
            var size = source.Length;
            using var content = new StreamContent(new ProgressStream(source, sent => ShowUpload(progress, sent, size)), BufferSize);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Headers.ContentLength = size;
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/suppressions/import" + query) { Content = content };
            result = await gateway.SendForJsonAsync<ImportResponse>(request, cancellationToken);
        }

        await _terminal.Out.WriteAsync(ImportSummary.Render(result));
        return result.Rejected > 0 && parseResult.GetValue(_strict) ? ExitCodes.RowsRejected : ExitCodes.Success;
    }

    private static void ShowUpload(ProgressLine? progress, long sent, long size)
    {
        if (progress is null)
        {
            return;
        }

        // The last byte read ends the line: the gateway may take a while to import before it answers.
        if (sent >= size)
        {
            progress.Finish(ProgressBar.Render(sent, size, progress.Width));
        }
        else if (progress.IsDue)
        {
            progress.Draw(ProgressBar.Render(sent, size, progress.Width));
        }
    }
}
