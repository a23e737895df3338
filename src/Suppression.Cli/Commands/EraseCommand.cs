using System.CommandLine;
using System.Net.Http.Json;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression erase &lt;address&gt;</c>: an erasure request for one person. It cannot be undone, so
/// it is confirmed on a terminal, and off a terminal it runs only with --yes.
/// </summary>
internal sealed class EraseCommand : Command
{
    private readonly Argument<string> _address = new("address") { Description = "The address to erase" };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask for confirmation (required when standard input is not a terminal)" };
    private readonly Terminal _terminal;

    public EraseCommand(GatewayCommandRunner runner)
        : base("erase", "Erase an address from the gateway's records (asks first; cannot be undone)")
    {
        _terminal = runner.Terminal;
        Add(_address);
        Add(_yes);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var address = parseResult.GetRequiredValue(_address);
        if (!parseResult.GetValue(_yes) && !await ConfirmAsync(address, cancellationToken))
        {
            await _terminal.Error.WriteLineAsync("not erased.");
            return ExitCodes.Failed;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/erasures")
        {
            Content = JsonContent.Create(new ErasureRequest(address), options: GatewayJson.Options),
        };
        var result = await gateway.SendForJsonAsync<ErasureResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync($"erased {address}");
        await _terminal.Out.WriteLineAsync($"address hash:        {result.AddressHash}");
        await _terminal.Out.WriteLineAsync($"audit records:       {result.Records}");
        await _terminal.Out.WriteLineAsync($"suppression entries: {result.Entries}");
        return ExitCodes.Success;
    }

    private async Task<bool> ConfirmAsync(string address, CancellationToken cancellationToken)
    {
        if (_terminal.IsInputRedirected)
        {
            throw new CommandUsageException("erase asks for confirmation, and standard input is not a terminal: pass --yes to erase without asking.");
        }

        await _terminal.Error.WriteAsync($"Erase {address}? This cannot be undone. [y/N] ");
        var answer = (await _terminal.In.ReadLineAsync(cancellationToken))?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }
}
