using System.CommandLine;
using System.Globalization;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression storage</c>: how the list is stored in Redis; <c>suppression storage upgrade</c>:
/// moves a store written by an earlier version to the compact format (docs/operations.md, upgrades).
/// </summary>
internal sealed class StorageCommand : Command
{
    private readonly Terminal _terminal;

    public StorageCommand(GatewayCommandRunner runner)
        : base("storage", "Show how the suppression list is stored in Redis (text or compact)")
    {
        _terminal = runner.Terminal;
        SetAction(runner.Action(ShowAsync));
        var upgrade = new Command(
            "upgrade",
            "Move the list to the compact format (half the memory). Only once every gateway against this Redis runs a version that reads it: see docs/operations.md");
        upgrade.SetAction(runner.Action(UpgradeAsync));
        Add(upgrade);
    }

    private async Task<int> ShowAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/storage");
        var result = await gateway.SendForJsonAsync<StorageResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync($"stored as {result.Format}");
        return ExitCodes.Success;
    }

    private async Task<int> UpgradeAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/storage/upgrade");
        var result = await gateway.SendForJsonAsync<StorageUpgradeResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"stored as {result.Format}: {result.Mailboxes} mailboxes, {result.Converted} converted, {result.AlreadyCompact} already compact, {result.KeptAsText} kept as text, in {result.Seconds:0.0} s"));
        return ExitCodes.Success;
    }
}
