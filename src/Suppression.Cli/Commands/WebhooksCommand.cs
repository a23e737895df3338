using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// <c>suppression webhooks list</c>: the outbound webhook endpoints and how their delivery stands;
/// <c>replay</c>, <c>enable</c> and <c>requeue-dead</c> are the operator's recovery tools (admin key).
/// </summary>
internal sealed class WebhooksCommand : Command
{
    private readonly Terminal _terminal;

    private readonly Option<bool> _json = new("--json") { Description = "Print the gateway's JSON instead of a table" };

    private readonly Argument<string> _replayId = EndpointArgument();
    private readonly Option<string> _from = new("--from") { Description = "Replay events at or after this ISO 8601 time", HelpName = "time", Required = true };
    private readonly Option<string?> _to = new("--to") { Description = "Replay events before this ISO 8601 time (default: now)", HelpName = "time" };

    private readonly Argument<string> _enableId = EndpointArgument();
    private readonly Argument<string> _requeueId = EndpointArgument();

    public WebhooksCommand(GatewayCommandRunner runner)
        : base("webhooks", "The outbound webhook endpoints: list them, replay a time range, enable one after a 410, requeue dead letters")
    {
        _terminal = runner.Terminal;

        var replay = new Command("replay", "Send an endpoint the events of a time range again, with their original ids (admin key)") { _replayId, _from, _to };
        replay.SetAction(runner.Action(ReplayAsync));
        var enable = new Command("enable", "Send again to an endpoint a 410 Gone disabled; its queued events go first (admin key)") { _enableId };
        enable.SetAction(runner.Action(EnableAsync));
        var requeue = new Command("requeue-dead", "Move an endpoint's dead letters back to its queue, due at once (admin key)") { _requeueId };
        requeue.SetAction(runner.Action(RequeueDeadAsync));
        var list = new Command("list", "Show each endpoint's state, backlog, oldest undelivered event and dead letters") { _json };
        list.SetAction(runner.Action(ListAsync));
        Add(list);
        Add(replay);
        Add(enable);
        Add(requeue);
    }

    private static Argument<string> EndpointArgument() => new("id") { Description = "The endpoint's Id (Suppression:Webhooks:Endpoints)" };

    private static string EndpointPath(string id, string action) => $"api/v1/webhooks/{Uri.EscapeDataString(id)}/{action}";

    private async Task<int> ListAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/webhooks");
        using var response = await gateway.SendSuccessfulAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (parseResult.GetValue(_json))
        {
            await _terminal.Out.WriteLineAsync(body.TrimEnd('\r', '\n'));
            return ExitCodes.Success;
        }

        var result = JsonSerializer.Deserialize<WebhooksResponse>(body, GatewayJson.Options)
            ?? throw new JsonException("The gateway's webhooks response is empty.");
        if (result.Endpoints.Count == 0)
        {
            await _terminal.Out.WriteLineAsync("no webhook endpoints configured (Suppression:Webhooks:Endpoints)");
            return ExitCodes.Success;
        }

        string[] header = ["ID", "STATE", "BACKLOG", "OLDEST UNDELIVERED", "DEAD", "LAST SUCCESS", "FAILURES", "URL"];
        var rows = result.Endpoints.Select(endpoint => new[]
        {
            endpoint.Id,
            endpoint.Disabled ? "disabled" : "enabled",
            endpoint.Backlog.ToString(CultureInfo.InvariantCulture),
            Time(endpoint.OldestUndelivered),
            endpoint.DeadLetters.ToString(CultureInfo.InvariantCulture),
            Time(endpoint.LastSuccess),
            endpoint.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
            endpoint.Url,
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var row in rows)
        {
            table.AppendLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))));
        }

        // Why an endpoint stopped, under the table: the reasons are sentences, too long for a column.
        foreach (var endpoint in result.Endpoints)
        {
            if (endpoint.Disabled)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"{endpoint.Id}: disabled ({endpoint.DisabledReason ?? "no reason recorded"}); 'suppression webhooks enable {endpoint.Id}' sends again");
            }

            if (endpoint.LastError is not null && endpoint.ConsecutiveFailures > 0)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"{endpoint.Id}: last error: {endpoint.LastError}");
            }
        }

        await _terminal.Out.WriteAsync(table.ToString());
        return ExitCodes.Success;
    }

    private async Task<int> ReplayAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        // Times are passed through as typed: the gateway owns their meaning and says what it rejects.
        var query = new QueryString().Add("from", parseResult.GetRequiredValue(_from)).Add("to", parseResult.GetValue(_to));
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath(parseResult.GetRequiredValue(_replayId), "replay") + query);
        var result = await gateway.SendForJsonAsync<WebhookReplayResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"queued {result.Queued} {(result.Queued == 1 ? "event" : "events")} for {result.Endpoint} from {result.From.ToUniversalTime():u} to {result.To.ToUniversalTime():u} (the event log keeps {result.LogRetentionDays:0} days)"));
        return ExitCodes.Success;
    }

    private async Task<int> EnableAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath(parseResult.GetRequiredValue(_enableId), "enable"));
        var result = await gateway.SendForJsonAsync<WebhookEnabledResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync(result.WasDisabled
            ? $"{result.Endpoint} enabled: its queued events are sent again"
            : $"{result.Endpoint} was not disabled; its failure count is reset");
        return ExitCodes.Success;
    }

    private async Task<int> RequeueDeadAsync(ParseResult parseResult, GatewayClient gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath(parseResult.GetRequiredValue(_requeueId), "dead-letters/requeue"));
        var result = await gateway.SendForJsonAsync<WebhookRequeueResponse>(request, cancellationToken);
        await _terminal.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture, $"requeued {result.Requeued} dead {(result.Requeued == 1 ? "letter" : "letters")} for {result.Endpoint}, due at once"));
        return ExitCodes.Success;
    }

    private static string Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture) ?? "-";
}
