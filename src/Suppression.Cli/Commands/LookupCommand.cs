using System.CommandLine;
using System.Net;
using System.Text.Json;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary><c>suppression lookup &lt;address&gt;</c>: which suppressions apply, and why. Exit 4 when none does.</summary>
internal sealed class LookupCommand : Command
{
    private readonly Argument<string> _address = new("address") { Description = "The address, spelled as any client would send it" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the gateway's JSON instead of a table" };
    private readonly Terminal _terminal;

    public LookupCommand(GatewayCommandRunner runner)
        : base("lookup", "Show the suppressions that apply to an address (exit 4: not suppressed)")
    {
        _terminal = runner.Terminal;
        Add(_address);
        Add(_json);
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var address = parseResult.GetRequiredValue(_address);
        // A '/' cannot travel in a path segment: such an address goes as ?address= (gateways since the query form).
        var path = address.Contains('/', StringComparison.Ordinal)
            ? "api/v1/suppressions?address=" + Uri.EscapeDataString(address)
            : "api/v1/suppressions/" + Uri.EscapeDataString(address);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await gateway.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // On stdout, like a found entry: it is the answer, not a failure. Scripts test exit code 4.
            await _terminal.Out.WriteLineAsync($"{address} is not suppressed");
            return ExitCodes.NotSuppressed;
        }

        await GatewayClient.EnsureSuccessAsync(response, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (parseResult.GetValue(_json))
        {
            await _terminal.Out.WriteLineAsync(body.TrimEnd('\r', '\n'));
        }
        else
        {
            var lookup = JsonSerializer.Deserialize<LookupResponse>(body, GatewayJson.Options)
                ?? throw new JsonException("The gateway's lookup response is empty.");
            await _terminal.Out.WriteAsync(SuppressionTable.Render(lookup));
        }

        return ExitCodes.Success;
    }
}
