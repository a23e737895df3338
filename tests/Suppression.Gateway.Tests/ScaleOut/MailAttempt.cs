namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>One message of a <see cref="MailFlow"/>: accepted when <see cref="Refusal"/> is null.</summary>
internal sealed record MailAttempt(DateTime Started, DateTime Finished, string MessageId, string Subscriber, string? Refusal);
