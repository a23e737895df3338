using System.CommandLine;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary><c>suppression export</c>: the whole suppression list, streamed to a file or standard output.</summary>
internal sealed class ExportCommand : Command
{
    private readonly Option<string> _format = Download.FormatOption();
    private readonly Option<FileInfo?> _output = Download.OutputOption();
    private readonly Terminal _terminal;

    public ExportCommand(GatewayCommandRunner runner)
        : base("export", "Export the suppression list")
    {
        _terminal = runner.Terminal;
        Add(_format);
        Add(_output);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("format", parseResult.GetRequiredValue(_format));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/suppressions/export" + query);
        using var response = await gateway.SendSuccessfulAsync(request, cancellationToken);
        await Download.SaveAsync(response, parseResult.GetValue(_output), _terminal, cancellationToken);
        return ExitCodes.Success;
    }
}
