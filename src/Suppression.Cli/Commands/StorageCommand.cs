using System.CommandLine;
using System.Globalization;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression storage</c>: how the list is stored in Redis; <c>suppression storage upgrade
/// [--format compact|hashed]</c>: moves the store to a later format (docs/operations.md, upgrades).
/// </summary>
internal sealed class StorageCommand : Command
{
    private readonly Terminal _terminal;

    private readonly Option<string> _format = new Option<string>("--format")
    {
        Description = "compact (half the memory of text) or hashed (a fifth, no addresses kept: exports give mailbox keys; cannot be undone)",
        DefaultValueFactory = _ => "compact",
    }.AcceptOnlyFromAmong("compact", "hashed");

    public StorageCommand(GatewayCommandRunner runner)
        : base("storage", "Show how the suppression list is stored in Redis (text, compact or hashed)")
    {
        _terminal = runner.Terminal;
        SetAction(runner.Action(ShowAsync));
        var upgrade = new Command(
            "upgrade",
            "Move the list to a later format. Only once every gateway against this Redis runs a version that reads it: see docs/operations.md");
        upgrade.Add(_format);
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
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/storage/upgrade" + new QueryString().Add("format", parseResult.GetValue(_format)));
        var result = await gateway.SendForJsonAsync<StorageUpgradeResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"stored as {result.Format}: {result.Mailboxes} mailboxes, {result.Converted} converted, {result.AlreadyInFormat} already {result.Format}, {result.KeptAsText} kept as text, {result.Unreadable} unreadable, in {result.Seconds:0.0} s"));
        return ExitCodes.Success;
    }
}
