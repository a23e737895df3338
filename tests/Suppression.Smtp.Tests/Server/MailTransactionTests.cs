using System.Net;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Server;

public sealed class MailTransactionTests
{
    private static readonly SuppressionEntry Entry =
        new(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_delivered_recipient_is_relayed_and_keeps_the_entries_judged_after_data()
    {
        var transaction = NewTransaction();
        var jane = Path("jane@example.com");

        Assert.True(transaction.MarkSeen(jane));
        transaction.TakeVerdict(jane, RecipientDecision.DeliverSubjectTo([Entry]));

        Assert.Equal([jane], transaction.Recipients);
        Assert.Equal([Entry], transaction.HeldEntries(jane));
        Assert.Empty(transaction.DroppedRecipients);
    }

    [Fact]
    public void A_dropped_recipient_is_kept_for_the_record_and_counts_as_a_recipient()
    {
        var transaction = NewTransaction();
        var jane = Path("jane@example.com");

        transaction.TakeVerdict(jane, new RecipientDecision(RecipientVerdict.Drop, Entry));

        Assert.Empty(transaction.Recipients);
        Assert.Equal([(jane, Entry)], transaction.DroppedRecipients);
        Assert.True(transaction.HasRecipients);
    }

    [Fact]
    public void A_deferred_recipient_may_be_given_again_and_a_refused_one_may_not()
    {
        var transaction = NewTransaction();
        var deferred = Path("deferred@example.com");
        var refused = Path("refused@example.com");
        transaction.MarkSeen(deferred);
        transaction.MarkSeen(refused);

        transaction.TakeVerdict(deferred, RecipientDecision.Defer);
        transaction.TakeVerdict(refused, new RecipientDecision(RecipientVerdict.Refuse, Entry));

        Assert.True(transaction.MarkSeen(deferred));
        Assert.False(transaction.MarkSeen(refused));
        Assert.False(transaction.HasRecipients);
    }

    [Fact]
    public void A_recipient_blocked_once_the_message_is_classified_moves_to_the_dropped_list()
    {
        var transaction = NewTransaction();
        var jane = Path("jane@example.com");
        var john = Path("john@example.com");
        transaction.TakeVerdict(jane, RecipientDecision.DeliverSubjectTo([Entry]));
        transaction.TakeVerdict(john, RecipientDecision.Deliver);

        transaction.DropRecipient(jane, Entry);

        Assert.Equal([john], transaction.Recipients);
        Assert.Equal([(jane, Entry)], transaction.DroppedRecipients);
        transaction.ForgetRecordedDrops();
        Assert.Empty(transaction.DroppedRecipients);
    }

    [Fact]
    public void The_gateway_s_own_address_shares_its_transaction_with_no_relayed_recipient()
    {
        var relayedFirst = NewTransaction();
        relayedFirst.TakeVerdict(Path("jane@example.com"), RecipientDecision.Deliver);
        var mailbox = new FakeMailbox(takesOneAddressPerTransaction: false);

        Assert.False(relayedFirst.TryAddLocalRecipient(mailbox, Address("unsubscribe@gateway.test")));
        Assert.Null(relayedFirst.Local);

        var localFirst = NewTransaction();
        Assert.True(localFirst.TryAddLocalRecipient(mailbox, Address("unsubscribe@gateway.test")));
        Assert.True(localFirst.TryAddLocalRecipient(mailbox, Address("unsubscribe+again@gateway.test")));
        Assert.False(localFirst.TryAddLocalRecipient(new FakeMailbox(takesOneAddressPerTransaction: false), Address("feedback@gateway.test")));
        Assert.Same(mailbox, localFirst.Local);
        Assert.Equal(1, localFirst.RecipientCount);
    }

    [Fact]
    public void A_mailbox_with_one_address_per_transaction_takes_only_the_first_address()
    {
        var transaction = NewTransaction();
        var mailbox = new FakeMailbox(takesOneAddressPerTransaction: true);

        Assert.True(transaction.TryAddLocalRecipient(mailbox, Address("bounce-1@gateway.test")));
        Assert.True(transaction.TryAddLocalRecipient(mailbox, Address("bounce-1@gateway.test")));
        Assert.False(transaction.TryAddLocalRecipient(mailbox, Address("bounce-2@gateway.test")));
        Assert.Equal(Address("bounce-1@gateway.test"), transaction.LocalRecipient);
    }

    private static MailTransaction NewTransaction() =>
        new("0123456789ab", Path("sender@example.com"), smtpUtf8: false, eightBitMime: false);

    private static NormalizedAddress Address(string address) => AddressNormalizer.Normalize(address);

    private static MailboxPath Path(string address) => new(address, Address(address));

    private sealed class FakeMailbox(bool takesOneAddressPerTransaction) : ILocalMailbox
    {
        public bool TakesOneAddressPerTransaction => takesOneAddressPerTransaction;

        public bool Accepts(NormalizedAddress recipient) => true;

        Task<SmtpReply> ILocalMailbox.HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
