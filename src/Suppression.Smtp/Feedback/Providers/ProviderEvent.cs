using Suppression.Addresses;

namespace Suppression.Smtp.Feedback.Providers;

/// <summary>One event of an ESP's webhook, read from its own format.</summary>
/// <param name="EventId">The provider's id for the event: the audit names it and duplicates are dropped by it.</param>
/// <param name="Type">The provider's own name for the event (<c>failed</c>, <c>HardBounce</c>), for the evidence.</param>
/// <param name="Status">The enhanced status code (RFC 3463) the provider reports, when it reports one.</param>
/// <param name="Diagnostic">The remote server's reply as the provider quotes it (<c>550 5.1.1 ... user unknown</c>).</param>
/// <param name="MessageId">The Message-ID header of the message the event is about, when the provider gives it.</param>
public sealed record ProviderEvent(
    string EventId, string Type, ProviderEventKind Kind, NormalizedAddress Recipient, string? Status = null, string? Diagnostic = null, string? MessageId = null);
