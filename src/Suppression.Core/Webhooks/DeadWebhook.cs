namespace Suppression.Webhooks;

/// <summary>An event that failed its last attempt, as an operator sees it: never its body (it may carry an address).</summary>
/// <param name="EventId">The <c>webhook-id</c> it had, and keeps when requeued.</param>
/// <param name="Time">When the change happened (the event's time, not the last attempt's).</param>
/// <param name="Failure">The last attempt's failure, one line (<c>HTTP 500</c>, <c>no answer within 15 s</c>...).</param>
/// <param name="Attempts">Attempts made, the last included.</param>
public sealed record DeadWebhook(string EventId, string Type, DateTimeOffset Time, string Failure, int Attempts);
