using System.Net;
using Suppression.Delivery;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Messages;

internal static class BlockedDeliveryRecords
{
    public static BlockedDelivery Create(
        IPAddress client, MailTransaction transaction, MailboxPath recipient, SuppressionEntry entry, string? messageId, DateTimeOffset time) =>
        new(time, client, transaction.Sender.Mailbox, recipient.Address!.Value, entry.Reason, entry.Scope, messageId) { Source = entry.Source };

    public static List<BlockedDelivery> ForDropped(IPAddress client, MailTransaction transaction, string? messageId, DateTimeOffset time) =>
        transaction.DroppedRecipients
            .Select(dropped => Create(client, transaction, dropped.Recipient, dropped.Entry, messageId, time))
            .ToList();
}
