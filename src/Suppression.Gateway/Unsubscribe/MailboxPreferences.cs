using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// What one mailbox receives from the sender a link names, from the mailbox's entries (read in one
/// round trip): each visible list's state, the sender-wide opt-out, and whether anything the
/// recipient cannot reverse stops all of it. Hidden lists are not in it.
/// </summary>
public sealed class MailboxPreferences
{
    private MailboxPreferences(IReadOnlyList<TopicChoice> topics, SuppressionEntry? senderWide, PreferenceLock locked, IReadOnlyList<SuppressionEntry> entries)
    {
        Topics = topics;
        SenderWide = senderWide;
        Lock = locked;
        Entries = entries;
    }

    public IReadOnlyList<TopicChoice> Topics { get; }

    /// <summary>The opt-out of everything the sender sends (<c>tenant:&lt;id&gt;</c>), or null.</summary>
    public SuppressionEntry? SenderWide { get; }

    public PreferenceLock Lock { get; }

    /// <summary>The mailbox's entries of the sender's scopes, for the changes a form asks for.</summary>
    public IReadOnlyList<SuppressionEntry> Entries { get; }

    /// <summary>Whether the recipient may tick anything back on.</summary>
    public bool MayOptBackIn => Lock == PreferenceLock.None;

    /// <param name="entries">All entries of the token's recipient (ISuppressionStore.GetEntriesAsync).</param>
    public static MailboxPreferences Of(UnsubscribeToken token, Sender sender, IReadOnlyList<SuppressionEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(entries);
        var tenant = token.Tenant;
        var ours = entries.Where(entry => entry.Scope.Kind == ScopeKind.Global || entry.Scope.Tenant == tenant).ToList();
        var senderWide = ours.FirstOrDefault(entry => entry.Scope.Kind == ScopeKind.Tenant);
        var topics = sender.VisibleTopics.Select(topic => new TopicChoice(topic, StateOf(topic, ours, tenant), topic.Id == token.Topic)).ToList();
        return new MailboxPreferences(topics, senderWide, LockOf(ours), ours);
    }

    /// <summary>The entry of exactly this scope, if any.</summary>
    public SuppressionEntry? EntryOf(SuppressionScope scope) => Entries.FirstOrDefault(entry => entry.Scope == scope);

    private static TopicState StateOf(CatalogueTopic topic, List<SuppressionEntry> entries, string? tenant)
    {
        var entry = SuppressionScope.TryForTopic(tenant, topic.Id, out var scope) ? entries.FirstOrDefault(candidate => candidate.Scope == scope) : null;
        if (entry is not null && entry.Blocks(topic.Class))
        {
            return UnsubscribeActions.IsRecipientsOwn(entry) ? TopicState.OptedOut : TopicState.Stopped;
        }

        return topic.Class == MessageClass.Transactional ? TopicState.AlwaysSent : TopicState.Subscribed;
    }

    // The most final reason wins the sentence: a bounce says more than a manual block beside it.
    private static PreferenceLock LockOf(List<SuppressionEntry> entries)
    {
        var locking = entries
            .Where(entry => entry.Scope.Kind == ScopeKind.Global || (entry.Scope.Kind == ScopeKind.Tenant && !UnsubscribeActions.IsRecipientsOwn(entry)))
            .Select(entry => entry.Reason switch
            {
                SuppressionReason.HardBounce => PreferenceLock.Bounced,
                SuppressionReason.Erasure => PreferenceLock.Erased,
                SuppressionReason.Complaint => PreferenceLock.Complaint,
                _ when UnsubscribeActions.IsRecipientsOwn(entry) => PreferenceLock.EverySender,
                _ => PreferenceLock.Stopped,
            })
            .ToList();
        PreferenceLock[] order = [PreferenceLock.Erased, PreferenceLock.Bounced, PreferenceLock.Complaint, PreferenceLock.Stopped, PreferenceLock.EverySender];
        return order.FirstOrDefault(locking.Contains, PreferenceLock.None);
    }
}
