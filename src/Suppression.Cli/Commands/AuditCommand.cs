using System.CommandLine;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary><c>suppression audit</c>: the consent audit log, filtered by the gateway and streamed.</summary>
internal sealed class AuditCommand : Command
{
    private readonly Option<string?> _address = new("--address") { Description = "Only records about this address", HelpName = "address" };

    private readonly Option<string[]> _types = new("--type")
    {
        Description = "Only records of this type (suppressed, widened, resubscribed, erased, blocked, imported, overridden, dismissed); repeat for several",
        HelpName = "type",
    };

    private readonly Option<string?> _from = new("--from") { Description = "Only records at or after this ISO 8601 time", HelpName = "time" };
    private readonly Option<string?> _to = new("--to") { Description = "Only records before this ISO 8601 time", HelpName = "time" };
    private readonly Option<string> _format = Download.FormatOption();
    private readonly Option<FileInfo?> _output = Download.OutputOption();
    private readonly Terminal _terminal;

    public AuditCommand(GatewayCommandRunner runner)
        : base("audit", "Export the consent audit log")
    {
        _terminal = runner.Terminal;
        Add(_address);
        Add(_types);
        Add(_from);
        Add(_to);
        Add(_format);
        Add(_output);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        // Types and times are passed through as typed: the gateway owns their meaning and says what it rejects.
        var query = new QueryString()
            .Add("address", parseResult.GetValue(_address))
            .AddEach("type", parseResult.GetValue(_types))
            .Add("from", parseResult.GetValue(_from))
            .Add("to", parseResult.GetValue(_to))
            .Add("format", parseResult.GetRequiredValue(_format));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit" + query);
        using var response = await gateway.SendSuccessfulAsync(request, cancellationToken);
        await Download.SaveAsync(response, parseResult.GetValue(_output), _terminal, cancellationToken);
        return ExitCodes.Success;
    }
}
