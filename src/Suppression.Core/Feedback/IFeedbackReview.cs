using Suppression.Audit;

namespace Suppression.Feedback;

/// <summary>
/// Reports held for a person (<c>Suppression:Feedback:Unauthenticated</c> = <c>Review</c>): the newest
/// 10,000 within the retention, at most a bounded share from one source network.
/// </summary>
public interface IFeedbackReview
{
    /// <summary>
    /// Queues the item; false, queuing nothing, when its source network (<paramref name="source"/>)
    /// already had <paramref name="maxPerSource"/> queued within <paramref name="window"/>.
    /// </summary>
    Task<bool> EnqueueAsync(FeedbackReviewItem item, string source, int maxPerSource, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The queued items, newest first.</summary>
    Task<IReadOnlyList<FeedbackReviewItem>> ListAsync(int limit, CancellationToken cancellationToken);

    Task<FeedbackReviewItem?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Takes the item off the queue; false when it was not there (already applied or dismissed).</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="records"/> (each with the address of a recipient the item named) to those
    /// mailboxes' histories, then takes the item off the queue: a dismissal whose records cannot be
    /// written is not made. False, writing nothing, when the item is not queued.
    /// </summary>
    Task<bool> DismissAsync(string id, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
