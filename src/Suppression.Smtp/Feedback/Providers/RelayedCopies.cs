using Suppression.Addresses;
using Suppression.Delivery;

namespace Suppression.Smtp.Feedback.Providers;

/// <summary>
/// Which recipients the gateway relayed a message to, by its Message-ID: what proves an ESP's event
/// is about a copy the gateway sent to that recipient. Kept only when ESP webhooks are configured
/// (<c>Suppression:Feedback:Providers</c>), in the accepted copies' store under a key of its own, so
/// the retry bookkeeping (which skips copies already accepted) never reads it; it expires with the
/// accepted copies' retry window (5 days).
/// </summary>
/// <param name="kept">Whether copies are remembered: only when a provider is configured, since each costs a write per copy.</param>
public sealed class RelayedCopies(IAcceptedCopies copies, bool kept)
{
    public bool Kept => kept;

    public async Task RememberAsync(string? messageId, IEnumerable<NormalizedAddress> recipients, CancellationToken cancellationToken)
    {
        if (kept && KeyOf(messageId) is { } key)
        {
            await Task.WhenAll(recipients.Select(recipient => copies.MarkAcceptedAsync(key, recipient, cancellationToken)));
        }
    }

    public async Task<bool> WasRelayedToAsync(string? messageId, NormalizedAddress recipient, CancellationToken cancellationToken) =>
        KeyOf(messageId) is { } key && (await copies.GetAcceptedAsync(key, [recipient], cancellationToken)).Contains(recipient.Value);

    // A domain of its own, so this key is never the accepted copies' key of the same Message-ID.
    private static string? KeyOf(string? messageId)
    {
        var id = messageId.AsSpan().Trim().Trim('<').Trim('>').Trim();
        return id.IsEmpty ? null : IAcceptedCopies.DeriveMessageKey(string.Concat("relayed-copies-v1:", id), []);
    }
}
