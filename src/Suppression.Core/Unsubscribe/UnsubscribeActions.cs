using System.Globalization;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Unsubscribe;

/// <summary>
/// What a valid unsubscribe token lets its holder do, whichever way it arrives (one-click POST, the
/// page, a mail to the unsubscribe address): unsubscribe, widen to the whole sender, and undo within
/// a short window. Every request is written to the store together with its audit record, in one
/// atomic step; a failure is reported to the caller, who asks the recipient to try again; a retry
/// changes nothing twice and is recorded again.
/// </summary>
public sealed class UnsubscribeActions
{
    // What the recipient can undo: their own unsubscribes (the widening is source page), never a
    // complaint, bounce, erasure, or a block the API, an import or a person made.
    private static readonly SuppressionSource[] UndoableSources =
        [SuppressionSource.OneClick, SuppressionSource.Page, SuppressionSource.Mailto, SuppressionSource.Preferences];

    // Whoever holds a valid link may use it: the audit names the link, not a person.
    private const string TokenActor = "token";

    private readonly ISuppressionStore _store;

    public UnsubscribeActions(ISuppressionStore store, TimeSpan undoWindow)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(undoWindow, TimeSpan.Zero);
        _store = store;
        UndoWindow = undoWindow;
    }

    public TimeSpan UndoWindow { get; }

    /// <summary>
    /// A token with a tenant and a topic stops that list; with a tenant, that sender; with neither,
    /// the marketing mail the gateway relays for nobody in particular (global).
    /// </summary>
    /// <returns>False when the tenant or topic in the token is not a valid scope name.</returns>
    public static bool TryGetScope(UnsubscribeToken token, out SuppressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(token);
        scope = SuppressionScope.Global;
        return token.Tenant is null
            || (token.Topic is null ? SuppressionScope.TryForTenant(token.Tenant, out scope) : SuppressionScope.TryForTopic(token.Tenant, token.Topic, out scope));
    }

    /// <summary>Whether the recipient made this opt-out themselves with a link (unsubscribe, widen, preferences), so may reverse it.</summary>
    public static bool IsRecipientsOwn(SuppressionEntry entry) =>
        entry is not null && entry.Reason == SuppressionReason.Unsubscribe && UndoableSources.Contains(entry.Source);

    /// <summary>Whether the page can offer "all mail from this sender": only a list's token is narrower than that.</summary>
    public static bool CanWiden(UnsubscribeToken token) => token?.Tenant is not null && token.Topic is not null;

    /// <returns>True when the suppression is new; false when the recipient had already unsubscribed.</returns>
    /// <exception cref="ArgumentException">The token's tenant or topic is not a valid scope (<see cref="TryGetScope"/>).</exception>
    /// <param name="evidence">What a person reading the audit trail should know about the request, if anything.</param>
    public async Task<bool> UnsubscribeAsync(
        UnsubscribeToken token, SuppressionSource source, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken, string? evidence = null) =>
        await UnsubscribeUndoablyAsync(token, source, origin, now, cancellationToken, evidence) is not null;

    /// <summary>As <see cref="UnsubscribeAsync"/>, for a page that offers Undo.</summary>
    /// <returns>What this request added, for <see cref="UndoAsync"/>; null when the recipient had already unsubscribed (nothing to undo).</returns>
    public Task<UndoableChange?> UnsubscribeUndoablyAsync(
        UnsubscribeToken token, SuppressionSource source, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken, string? evidence = null) =>
        TryGetScope(token, out var scope)
            ? SuppressAsync(token, scope, source, AuditEventType.Suppressed, origin, now, evidence, cancellationToken)
            : throw new ArgumentException("The token's tenant or topic is not a valid scope.", nameof(token));

    /// <summary>From one list to everything the same sender (tenant) sends.</summary>
    /// <returns>What this request added, for <see cref="UndoAsync"/>; null when the sender was already stopped.</returns>
    public Task<UndoableChange?> WidenAsync(UnsubscribeToken token, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken) =>
        CanWiden(token) && SuppressionScope.TryForTenant(token.Tenant, out var scope)
            ? SuppressAsync(token, scope, SuppressionSource.Page, AuditEventType.Widened, origin, now, "widened from the " + token.Topic + " list to all mail from this sender", cancellationToken)
            : throw new ArgumentException("Only a token for a list (tenant and topic) can be widened.", nameof(token));

    /// <summary>
    /// Removes what the confirmation page's own requests added (<paramref name="changes"/>, from
    /// <see cref="UnsubscribeUndoablyAsync"/> and <see cref="WidenAsync"/>) if younger than
    /// <see cref="UndoWindow"/>, and only while each is the newest request for its scope: an opt-out
    /// that another link, a complaint or the API asked for since is left alone. This is re-consent by
    /// the token's holder, and is audited as such.
    /// </summary>
    public async Task<UndoOutcome> UndoAsync(
        UnsubscribeToken token, IReadOnlyList<UndoableChange> changes, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(origin);
        if (!TryGetScope(token, out var scope))
        {
            return UndoOutcome.NothingToUndo;
        }

        var scopes = new List<SuppressionScope> { scope };
        if (CanWiden(token) && SuppressionScope.TryForTenant(token.Tenant, out var sender))
        {
            scopes.Add(sender);
        }

        var ours = changes.Where(change => scopes.Contains(change.Scope)).ToList();
        if (ours.Count == 0)
        {
            return UndoOutcome.NothingToUndo;
        }

        var entries = (await _store.GetEntriesAsync([token.Recipient], cancellationToken))[0];
        var outcomes = new List<UndoOutcome>();
        foreach (var change in ours)
        {
            outcomes.Add(await UndoAsync(token, change, entries.FirstOrDefault(entry => entry.Scope == change.Scope), origin, now, cancellationToken));
        }

        return new[] { UndoOutcome.Undone, UndoOutcome.Superseded, UndoOutcome.WindowPassed }.FirstOrDefault(outcomes.Contains, UndoOutcome.NothingToUndo);
    }

    /// <summary>
    /// The preference page's opt-out of one of the token's sender's lists, or of the whole sender
    /// (<paramref name="scope"/> within the token's tenant), audited with source <c>preferences</c>.
    /// </summary>
    /// <returns>True when the suppression is new.</returns>
    public Task<bool> OptOutAsync(UnsubscribeToken token, SuppressionScope scope, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        CheckWithinSender(token, scope);
        var entry = new SuppressionEntry(scope, SuppressionReason.Unsubscribe, SuppressionSource.Preferences, now.ToWholeSeconds());
        return _store.AddAsync(
            token.Recipient, entry,
            Record(token with { Topic = scope.Topic }, AuditEventType.Suppressed, scope, SuppressionReason.Unsubscribe, SuppressionSource.Preferences, origin, now, "on the preference page"),
            cancellationToken);
    }

    /// <summary>
    /// Re-consent from the preference page: removes <paramref name="entry"/> (of a scope within the
    /// token's sender) only when the recipient made it (<see cref="IsRecipientsOwn"/>); a bounce,
    /// complaint, erasure or a block the API, an import or a person made stays. Audited as
    /// <c>resubscribed</c> with source <c>preferences</c>, the client's address and user agent.
    /// </summary>
    /// <returns>True when the opt-out was removed; false when it was not the recipient's, or is gone already.</returns>
    public async Task<bool> OptBackInAsync(UnsubscribeToken token, SuppressionEntry entry, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(origin);
        CheckWithinSender(token, entry.Scope);
        if (!IsRecipientsOwn(entry))
        {
            return false;
        }

        var evidence = string.Create(
            CultureInfo.InvariantCulture, $"opted back in on the preference page (the {entry.Source.Name()} unsubscribe of {entry.CreatedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})");
        var record = Record(token with { Topic = entry.Scope.Topic }, AuditEventType.Resubscribed, entry.Scope, entry.Reason, SuppressionSource.Preferences, origin, now, evidence);
        return await _store.RemoveAsync(token.Recipient, entry.Scope, record, cancellationToken) > 0;
    }

    // A link speaks for its own sender only: never for global opt-outs or another tenant's.
    private static void CheckWithinSender(UnsubscribeToken token, SuppressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Tenant is null || scope.Kind == ScopeKind.Global || scope.Tenant != token.Tenant)
        {
            throw new ArgumentException("The preference page changes only scopes of the token's own tenant.", nameof(scope));
        }
    }

    private async Task<UndoOutcome> UndoAsync(
        UnsubscribeToken token, UndoableChange change, SuppressionEntry? entry, RequestOrigin origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entry is null)
        {
            return UndoOutcome.NothingToUndo;
        }

        // What is there now did not come from a recipient's own unsubscribe: something newer replaced it.
        if (!IsRecipientsOwn(entry))
        {
            return UndoOutcome.Superseded;
        }

        if (now - entry.CreatedAt > UndoWindow)
        {
            return UndoOutcome.WindowPassed;
        }

        var evidence = $"undo on the confirmation page, {Math.Max(0, (int)(now - entry.CreatedAt).TotalSeconds)} s after the {entry.Source.Name()} unsubscribe";
        var reverted = await _store.RevertAsync(
            token.Recipient, change.Scope, change.Record, Record(token, AuditEventType.Resubscribed, change.Scope, entry.Reason, SuppressionSource.Page, origin, now, evidence), cancellationToken);
        return reverted switch
        {
            RevertOutcome.Reverted => UndoOutcome.Undone,
            RevertOutcome.Superseded => UndoOutcome.Superseded,
            _ => UndoOutcome.NothingToUndo,
        };
    }

    private async Task<UndoableChange?> SuppressAsync(
        UnsubscribeToken token, SuppressionScope scope, SuppressionSource source, AuditEventType type, RequestOrigin origin, DateTimeOffset now, string? evidence,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var entry = new SuppressionEntry(scope, SuppressionReason.Unsubscribe, source, now.ToWholeSeconds());
        var position = await _store.AddAndLocateAsync(
            token.Recipient, entry, Record(token, type, scope, SuppressionReason.Unsubscribe, source, origin, now, evidence), cancellationToken);
        return position is null ? null : new UndoableChange(scope, position);
    }

    private static AuditRecord Record(
        UnsubscribeToken token, AuditEventType type, SuppressionScope scope, SuppressionReason reason, SuppressionSource source, RequestOrigin origin,
        DateTimeOffset now, string? evidence) =>
        new(now, type, TokenActor)
        {
            Address = token.Recipient,
            Scope = scope,
            Reason = reason,
            Source = source,
            Tenant = token.Tenant,
            Topic = token.Topic,
            ClientAddress = origin.ClientAddress,
            UserAgent = origin.UserAgent,
            Evidence = evidence,
        };
}
