using System.CommandLine;
using System.Globalization;
using System.Text;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression lockouts [--client IP]</c>: the failed SMTP logins the gateway remembers and the
/// lockouts they started; <c>suppression lockouts clear --client IP [--user NAME]</c>: forgets them,
/// so a sender whose password was fixed gets in at once. Each gateway instance keeps its own.
/// </summary>
internal sealed class LockoutsCommand : Command
{
    private readonly Terminal _terminal;

    private readonly Option<string?> _listClient = new("--client") { Description = "Only this client's IP address (an IPv6 address stands for its /64)" };

    private readonly Option<string> _clearClient = new("--client") { Description = "The client's IP address (an IPv6 address stands for its /64)", Required = true };

    private readonly Option<string?> _user = new("--user") { Description = "Only this user name's failures; without it, every name's and the address's own count" };

    public LockoutsCommand(GatewayCommandRunner runner)
        : base("lockouts", "Show the failed SMTP logins this gateway instance remembers, and its lockouts (454)")
    {
        _terminal = runner.Terminal;
        Add(_listClient);
        SetAction(runner.Action(ListAsync));
        var clear = new Command("clear", "Lift a client's lockout (admin key), so a sender whose password was fixed gets in at once");
        clear.Add(_clearClient);
        clear.Add(_user);
        clear.SetAction(runner.Action(ClearAsync));
        Add(clear);
    }

    private async Task<int> ListAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/smtp/lockouts" + new QueryString().Add("client", parseResult.GetValue(_listClient)));
        var result = await gateway.SendForJsonAsync<LockoutsResponse>(request, cancellationToken);
        if (result.Lockouts.Count == 0)
        {
            await _terminal.Out.WriteLineAsync("no failed logins remembered");
            return ExitCodes.Success;
        }

        string[] header = ["CLIENT", "USER", "FAILURES", "LAST FAILURE", "LOCKED UNTIL"];
        var rows = result.Lockouts.Select(lockout => new[]
        {
            lockout.Client,
            lockout.Username ?? "(any name)",
            lockout.Failures.ToString(CultureInfo.InvariantCulture),
            lockout.LastFailure.ToString("u", CultureInfo.InvariantCulture),
            lockout.LockedUntil?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var row in rows)
        {
            table.AppendLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))));
        }

        if (result.Truncated)
        {
            table.AppendLine("(more not shown: name a client with --client)");
        }

        await _terminal.Out.WriteAsync(table.ToString());
        return ExitCodes.Success;
    }

    private async Task<int> ClearAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("client", parseResult.GetRequiredValue(_clearClient)).Add("user", parseResult.GetValue(_user));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "api/v1/smtp/lockouts" + query);
        var result = await gateway.SendForJsonAsync<LockoutsCleared>(request, cancellationToken);
        var whose = result.User is null ? result.Client : $"{result.User} at {result.Client}";
        await _terminal.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cleared {result.Cleared} records for {whose}"));
        return ExitCodes.Success;
    }
}
