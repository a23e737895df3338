namespace Suppression.Smtp.Relay;

/// <summary>The envelope the upstream gets: the client's own spellings of the addresses (an empty sender is &lt;&gt;).</summary>
public sealed record RelayEnvelope(string Sender, IReadOnlyList<string> Recipients, string TransactionId)
{
    /// <summary>The client sent with SMTPUTF8 (RFC 6531): the upstream must take it too, or the copy is refused.</summary>
    public bool SmtpUtf8 { get; init; }
}
