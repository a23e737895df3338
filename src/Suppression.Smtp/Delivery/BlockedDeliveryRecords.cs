using System.Net;
using Suppression.Delivery;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

internal static class BlockedDeliveryRecords
{
    public static BlockedDelivery Create(
        IPAddress client, MailTransaction transaction, MailboxPath recipient, SuppressionEntry entry, string? messageId, DateTimeOffset time, string? tenant = null) =>
        new(time, client, transaction.Sender.Mailbox, recipient.Address!.Value, entry.Reason, entry.Scope, messageId) { Source = entry.Source, Tenant = tenant };

    public static List<BlockedDelivery> ForDropped(IPAddress client, MailTransaction transaction, string? messageId, string? tenant, DateTimeOffset time) =>
        transaction.DroppedRecipients
            .Select(dropped => Create(client, transaction, dropped.Recipient, dropped.Entry, messageId, time, tenant))
            .ToList();

    /// <summary>The transactional copies about to pass an opt-out that would have stopped them as marketing.</summary>
    public static List<BlockedDelivery> ForOverridden(
        IPAddress client, MailTransaction transaction, List<(MailboxPath Recipient, SuppressionEntry Entry)> overridden, string? messageId, string? tenant, DateTimeOffset time) =>
        overridden
            .Select(passed => Create(client, transaction, passed.Recipient, passed.Entry, messageId, time, tenant) with { Overridden = true })
            .ToList();
}
