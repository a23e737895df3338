namespace Suppression.Smtp.Relay;

/// <summary>The envelope the upstream gets: the client's own spellings of the addresses (an empty sender is &lt;&gt;).</summary>
public sealed record RelayEnvelope(string Sender, IReadOnlyList<string> Recipients, string TransactionId);
