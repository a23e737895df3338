using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The per-recipient groups of a delivery-status part (RFC 3464 2.1), also when an MTA leaves out
/// the blank line between two of them: a field that a group already holds (a second Final-Recipient,
/// Action or Status) begins the next recipient's group.
/// </summary>
internal static class RecipientGroups
{
    public static List<List<Header>> Of(IEnumerable<HeaderList> blankLineGroups)
    {
        var groups = new List<List<Header>>();
        foreach (var blankLineGroup in blankLineGroups)
        {
            var current = new List<Header>();
            foreach (var header in blankLineGroup)
            {
                if (current.Any(held => Same(held, header)))
                {
                    // RFC 3464 2.3 puts Original-Recipient before its Final-Recipient, and some MTAs
                    // after it: one between two groups belongs to either. It is dropped, so that each
                    // group is read by its own Final-Recipient and never by the other's address.
                    if (Same(header, "Final-Recipient") && Same(current[^1], "Original-Recipient")
                        && current.FindIndex(held => Same(held, "Final-Recipient")) < current.Count - 1)
                    {
                        current.RemoveAt(current.Count - 1);
                    }

                    groups.Add(current);
                    current = [];
                }

                current.Add(header);
            }

            if (current.Count > 0)
            {
                groups.Add(current);
            }
        }

        return groups;
    }

    private static bool Same(Header held, Header header) => held.Field.Equals(header.Field, StringComparison.OrdinalIgnoreCase);

    private static bool Same(Header header, string field) => header.Field.Equals(field, StringComparison.OrdinalIgnoreCase);
}
