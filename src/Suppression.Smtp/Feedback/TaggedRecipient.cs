using Suppression.Addresses;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// What a report on a return path says about the tag's recipient when it does not name them (it
/// could not be read, or it names only other addresses) and the gateway's own link in the returned
/// message does. The recipient is proven; what happened to them is not, so it counts as a soft
/// bounce at most and never suppresses on its own (issue 17: precision first).
/// </summary>
internal static class TaggedRecipient
{
    private const int MaxQuotedReason = 200;

    /// <returns>The recipient as the report would have named them, and how they were found, for the evidence.</returns>
    public static (FeedbackRecipient Recipient, string Reading) Of(NormalizedAddress address, FeedbackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string Named = "its recipient is named by the gateway's unsubscribe link in the returned message";
        if (report.Kind is FeedbackKind.Unrecognized or FeedbackKind.Malformed)
        {
            // The reason may quote a recipient field of the report; the evidence keeps no address.
            var reason = AddressRedaction.Redact(report.Reason.Length > MaxQuotedReason ? report.Reason[..MaxQuotedReason] : report.Reason);
            return (new FeedbackRecipient(address, FeedbackOutcome.SoftBounce), $"the report could not be read ({report.Kind}: {reason}); {Named}");
        }

        // A failure reported for another address (a forwarding or rewritten one) is this copy's, but
        // its words were about that address: counted, with them quoted, never taken as proof. The
        // other address stays out of this recipient's audit record, which erasing it would not reach
        // (the quoted words lose any address: FeedbackHandler.Evidence redacts the diagnostic).
        var failure = report.Recipients.FirstOrDefault(recipient => recipient.Outcome is not FeedbackOutcome.None);
        return failure is null
            ? (new FeedbackRecipient(address, FeedbackOutcome.None), string.Empty)
            : (new FeedbackRecipient(address, FeedbackOutcome.SoftBounce, failure.Action, failure.Status, failure.Diagnostic),
                $"the report names only other addresses, the first as a {failure.Outcome}; {Named}");
    }
}
