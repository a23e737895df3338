using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary><c>suppression verify</c>: asks the gateway to check every audit hash chain. Exit 6 when one is broken.</summary>
internal sealed class VerifyCommand : Command
{
    private readonly Terminal _terminal;

    public VerifyCommand(GatewayCommandRunner runner)
        : base("verify", "Verify the audit log's hash chains (exit 6: a chain is broken)")
    {
        _terminal = runner.Terminal;
        SetAction(runner.Action(RunAsync));
    }

    private async Task<int> RunAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit/verify");
        var result = await gateway.SendForJsonAsync<VerifyResponse>(request, cancellationToken);
        if (result.Ok)
        {
            await _terminal.Out.WriteLineAsync($"audit chain intact: {result.Records} records in {result.Chains} chains");
            return ExitCodes.Success;
        }

        var chain = result.FirstBadChain is { ValueKind: JsonValueKind.String } name ? name.GetString() : result.FirstBadChain?.GetRawText();
        var sequence = result.FirstBadSequence?.ToString(CultureInfo.InvariantCulture);
        await _terminal.Out.WriteLineAsync($"audit chain BROKEN at chain {chain ?? "?"} sequence {sequence ?? "?"}: {result.Problem ?? "no reason given"}");
        return ExitCodes.AuditChainBroken;
    }
}
