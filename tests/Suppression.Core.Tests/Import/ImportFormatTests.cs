using Suppression.Import;
using Suppression.Suppressions;
using static Suppression.Core.Tests.Import.ImportFiles;

namespace Suppression.Core.Tests.Import;

// One test per export, each with a header and rows as the provider writes them (column order and
// case included), checking what an operator would see after the import.
public class ImportFormatTests
{
    private static readonly SuppressionScope Acme = SuppressionScope.ForTenant("acme");

    [Fact]
    public async Task Gateway_export_is_read_with_the_scope_and_reason_of_each_row()
    {
        var read = await ReadAsync(
            """
            address,address_hash,scope,reason,source,created_at,batch
            jane.doe@example.com,5b7c0f2c9f1e4ad0b1f0b8e3c1a2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6,global,unsubscribe,one-click,2026-03-14T09:26:53.5890000+00:00,
            bob@example.org,0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9,tenant:acme,hard-bounce,dsn,2026-03-15T10:00:00+00:00,
            ,9e8d7c6b5a4938271605f4e3d2c1b0a99e8d7c6b5a4938271605f4e3d2c1b0a9,global,erasure,api,2026-03-16T11:00:00+00:00,
            carol@example.net,77aa66bb55cc44dd33ee22ff1100998877aa66bb55cc44dd33ee22ff11009988,topic:acme/newsletter,complaint,arf,2026-03-17T12:00:00Z,2026-03
            dave@example.net,1f2e3d4c5b6a79880f1e2d3c4b5a69780f1e2d3c4b5a69780f1e2d3c4b5a6978,everyone,manual,api,2026-03-18T12:00:00Z,
            erin@example.net,2f2e3d4c5b6a79880f1e2d3c4b5a69780f1e2d3c4b5a69780f1e2d3c4b5a6978,global,bounced,api,2026-03-18T12:00:00Z,
            """,
            defaultScope: Acme);

        Assert.Equal(ImportFormat.Gateway, read.Result.Format);
        Assert.Equal("gateway", read.Result.FormatName);
        AssertAccepted(read.Row(2), "jane.doe@example.com", SuppressionReason.Unsubscribe, new DateTimeOffset(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero));
        Assert.Equal(SuppressionScope.Global, read.Row(2).Scope);
        AssertAccepted(read.Row(3), "bob@example.org", SuppressionReason.HardBounce, new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(Acme, read.Row(3).Scope);
        AssertRejected(read.Row(4), "erased address without a mailbox_key: cannot be imported");
        AssertAccepted(read.Row(5), "carol@example.net", SuppressionReason.Complaint, new DateTimeOffset(2026, 3, 17, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(SuppressionScope.ForTopic("acme", "newsletter"), read.Row(5).Scope);
        AssertRejected(read.Row(6), "unknown scope 'everyone'");
        AssertRejected(read.Row(7), "unknown reason 'bounced'");
    }

    [Fact]
    public async Task Gateway_export_rows_without_an_address_are_imported_by_their_mailbox_key()
    {
        var read = await ReadAsync(
            """
            address,address_hash,scope,reason,source,created_at,batch,mailbox_key
            jane.doe@example.com,5b7c0f2c,global,unsubscribe,one-click,2026-03-14T09:26:53Z,,002df.a0a26ef2e5955397e0ea
            ,9e8d7c6b5a49,global,erasure,api,2026-03-16T11:00:00Z,,3ffff.00000000000000000001
            ,,tenant:acme,hard-bounce,import,2026-03-16T11:00:00Z,b-4,0a1b2.ffffffffffffffffffff
            ,,global,unsubscribe,api,2026-03-16T11:00:00Z,,40000.00000000000000000001
            ,,global,unsubscribe,api,2026-03-16T11:00:00Z,,0A1B2.FFFFFFFFFFFFFFFFFFFF
            ,,global,unsubscribe,api,2026-03-16T11:00:00Z,,
            """,
            defaultScope: Acme);

        AssertAccepted(read.Row(2), "jane.doe@example.com", SuppressionReason.Unsubscribe, new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero));
        Assert.Null(read.Row(2).Target.Key);
        Assert.False(read.Row(3).IsRejected, read.Row(3).Error);
        Assert.Equal(ImportTarget.ByKey(Key("3ffff.00000000000000000001"), "9e8d7c6b5a49"), read.Row(3).Target);
        Assert.Equal(SuppressionReason.Erasure, read.Row(3).Reason);
        Assert.Equal(ImportTarget.ByKey(Key("0a1b2.ffffffffffffffffffff"), null), read.Row(4).Target);
        Assert.Equal(Acme, read.Row(4).Scope);
        AssertRejected(read.Row(5), "unreadable mailbox_key '40000.00000000000000000001'");
        AssertRejected(read.Row(6), "unreadable mailbox_key '0A1B2.FFFFFFFFFFFFFFFFFFFF'");
        AssertRejected(read.Row(7), "no address and no mailbox_key");
    }

    private static MailboxKey Key(string text) => MailboxKey.TryParse(text, out var key) ? key : throw new ArgumentException(text);

    [Fact]
    public async Task Ses_suppressed_destinations_map_bounce_and_complaint()
    {
        var read = await ReadAsync(
            """
            EmailAddress,Reason,LastUpdateTime
            bounced@example.com,BOUNCE,2023-04-05T17:01:19.123000+00:00
            complained@example.com,COMPLAINT,2023-04-06T08:30:00Z
            other@example.com,OOO,2023-04-07T08:30:00Z
            """,
            defaultScope: Acme);

        Assert.Equal("ses", read.Result.FormatName);
        AssertAccepted(read.Row(2), "bounced@example.com", SuppressionReason.HardBounce, new DateTimeOffset(2023, 4, 5, 17, 1, 19, 123, TimeSpan.Zero));
        AssertAccepted(read.Row(3), "complained@example.com", SuppressionReason.Complaint, new DateTimeOffset(2023, 4, 6, 8, 30, 0, TimeSpan.Zero));
        AssertRejected(read.Row(4), "unknown SES reason 'OOO': expected BOUNCE or COMPLAINT");
        Assert.All(read.Rows.Where(row => !row.IsRejected), row => Assert.Equal(Acme, row.Scope));
    }

    [Fact]
    public async Task Ses_bulk_import_file_has_no_header_and_its_first_line_is_a_row()
    {
        var read = await ReadAsync(
            """
            recipient1@example.com,BOUNCE
            recipient2@example.com,complaint
            recipient3@example.com,UNSUBSCRIBE
            """);

        Assert.Equal("ses-bulk", read.Result.FormatName);
        Assert.Equal(3, read.Rows.Count);
        AssertAccepted(read.Row(1), "recipient1@example.com", SuppressionReason.HardBounce, occurredAt: null);
        AssertAccepted(read.Row(2), "recipient2@example.com", SuppressionReason.Complaint, occurredAt: null);
        AssertRejected(read.Row(3), "unknown SES reason 'UNSUBSCRIBE'");
    }

    [Fact]
    public async Task SendGrid_bounces_with_5xx_status_are_hard_bounces_and_4xx_are_rejected_as_temporary()
    {
        var read = await ReadAsync(
            """
            created,email,reason,status
            1443651125,testemail1@test.com,"550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",5.1.1
            2023-06-01 08:15:30,testemail2@test.com,"452 4.2.2 The email account that you tried to reach is over quota.",4.2.2
            1700000000,testemail3@test.com,"Bounced Address",
            1700000000,testemail4@test.com,"550 Mailbox unavailable",550
            1700000000,testemail5@test.com,"250 OK",2.0.0
            """,
            defaultScope: Acme);

        Assert.Equal(ImportFormat.SendGridBounces, read.Result.Format);
        Assert.Equal("sendgrid-bounces", read.Result.FormatName);
        AssertAccepted(read.Row(2), "testemail1@test.com", SuppressionReason.HardBounce, new DateTimeOffset(2015, 9, 30, 22, 12, 5, TimeSpan.Zero));
        Assert.Equal(Acme, read.Row(2).Scope);
        AssertRejected(read.Row(3), "temporary failure, not a suppression");
        AssertAccepted(read.Row(4), "testemail3@test.com", SuppressionReason.HardBounce, new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero));
        AssertAccepted(read.Row(5), "testemail4@test.com", SuppressionReason.HardBounce, new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero));
        AssertRejected(read.Row(6), "unknown bounce status '2.0.0'");
    }

    [Fact]
    public async Task SendGrid_spam_reports_are_complaints()
    {
        var read = await ReadAsync(
            """
            email,created,ip
            user1@example.com,1443651141,10.63.202.100
            user2@example.com,2023-07-22 04:26:40,
            """);

        Assert.Equal("sendgrid-spam-reports", read.Result.FormatName);
        AssertAccepted(read.Row(2), "user1@example.com", SuppressionReason.Complaint, new DateTimeOffset(2015, 9, 30, 22, 12, 21, TimeSpan.Zero));
        AssertAccepted(read.Row(3), "user2@example.com", SuppressionReason.Complaint, new DateTimeOffset(2023, 7, 22, 4, 26, 40, TimeSpan.Zero));
    }

    [Fact]
    public async Task SendGrid_invalid_emails_are_hard_bounces_and_unparseable_addresses_are_rejected()
    {
        var read = await ReadAsync(
            """
            email,created,reason
            invalid@nonexistent-domain.example,1443651141,Mail domain mentioned in email address is unknown
            user.example.com,1443651141,Invalid email address
            """);

        Assert.Equal("sendgrid-invalid-emails", read.Result.FormatName);
        AssertAccepted(read.Row(2), "invalid@nonexistent-domain.example", SuppressionReason.HardBounce, new DateTimeOffset(2015, 9, 30, 22, 12, 21, TimeSpan.Zero));
        AssertRejected(read.Row(3), "The address needs a local part and a domain separated by '@'.");
    }

    [Fact]
    public async Task SendGrid_unsubscribes_are_unsubscribes()
    {
        var read = await ReadAsync(
            """
            email,created
            Example@Example.COM,1443651141
            second@example.com,
            """);

        Assert.Equal("sendgrid-unsubscribes", read.Result.FormatName);
        AssertAccepted(read.Row(2), "example@example.com", SuppressionReason.Unsubscribe, new DateTimeOffset(2015, 9, 30, 22, 12, 21, TimeSpan.Zero));
        AssertAccepted(read.Row(3), "second@example.com", SuppressionReason.Unsubscribe, occurredAt: null);
    }

    [Fact]
    public async Task Mailgun_bounces_are_hard_bounces_with_their_RFC_5322_dates()
    {
        var read = await ReadAsync(
            """
            address,code,error,created_at
            alice@example.com,550,"550 5.1.1 The email account that you tried to reach does not exist.","Fri, 21 Oct 2011 11:02:55 GMT"
            bob@example.com,550,"No such mailbox","Sat, 22 Oct 2011 09:15:00 -0700"
            carol@example.com,550,"No such mailbox",2011-10-23T09:15:00Z
            dave@example.com,550,"No such mailbox",last tuesday
            """);

        Assert.Equal("mailgun-bounces", read.Result.FormatName);
        AssertAccepted(read.Row(2), "alice@example.com", SuppressionReason.HardBounce, new DateTimeOffset(2011, 10, 21, 11, 2, 55, TimeSpan.Zero));
        AssertAccepted(read.Row(3), "bob@example.com", SuppressionReason.HardBounce, new DateTimeOffset(2011, 10, 22, 9, 15, 0, TimeSpan.FromHours(-7)));
        AssertAccepted(read.Row(4), "carol@example.com", SuppressionReason.HardBounce, new DateTimeOffset(2011, 10, 23, 9, 15, 0, TimeSpan.Zero));
        AssertRejected(read.Row(5), "unreadable time 'last tuesday'");
    }

    [Fact]
    public async Task Mailgun_unsubscribes_are_unsubscribes()
    {
        var read = await ReadAsync(
            """
            address,tags,created_at
            alice@example.com,*,"Fri, 21 Oct 2011 11:02:55 UTC"
            bob@example.com,"[""newsletter"",""offers""]","Fri, 21 Oct 2011 11:02:55 GMT"
            """);

        Assert.Equal("mailgun-unsubscribes", read.Result.FormatName);
        AssertAccepted(read.Row(2), "alice@example.com", SuppressionReason.Unsubscribe, new DateTimeOffset(2011, 10, 21, 11, 2, 55, TimeSpan.Zero));
        AssertAccepted(read.Row(3), "bob@example.com", SuppressionReason.Unsubscribe, new DateTimeOffset(2011, 10, 21, 11, 2, 55, TimeSpan.Zero));
    }

    [Fact]
    public async Task Mailgun_complaints_are_complaints()
    {
        var read = await ReadAsync(
            """
            address,created_at
            alice@example.com,"Tue, 15 Nov 2016 08:25:40 GMT"
            """);

        Assert.Equal("mailgun-complaints", read.Result.FormatName);
        AssertAccepted(read.Row(2), "alice@example.com", SuppressionReason.Complaint, new DateTimeOffset(2016, 11, 15, 8, 25, 40, TimeSpan.Zero));
    }

    [Fact]
    public async Task Postmark_manual_suppressions_by_the_recipient_are_unsubscribes_and_by_anyone_else_manual()
    {
        var read = await ReadAsync(
            """
            EmailAddress,SuppressionReason,Origin,CreatedAt
            good.address@wildbit.com,ManualSuppression,Customer,2019-12-10T08:58:33-05:00
            spammy.address@wildbit.com,SpamComplaint,Recipient,2019-12-10T08:58:33-05:00
            bounced@wildbit.com,HardBounce,Recipient,2019-12-10T08:58:33-05:00
            unsubscribed@wildbit.com,ManualSuppression,Recipient,2019-12-10T08:58:33-05:00
            admin@wildbit.com,ManualSuppression,Admin,
            soft@wildbit.com,SoftBounce,Recipient,2019-12-10T08:58:33-05:00
            """);

        var createdAt = new DateTimeOffset(2019, 12, 10, 8, 58, 33, TimeSpan.FromHours(-5));
        Assert.Equal("postmark", read.Result.FormatName);
        AssertAccepted(read.Row(2), "good.address@wildbit.com", SuppressionReason.Manual, createdAt);
        AssertAccepted(read.Row(3), "spammy.address@wildbit.com", SuppressionReason.Complaint, createdAt);
        AssertAccepted(read.Row(4), "bounced@wildbit.com", SuppressionReason.HardBounce, createdAt);
        AssertAccepted(read.Row(5), "unsubscribed@wildbit.com", SuppressionReason.Unsubscribe, createdAt);
        AssertAccepted(read.Row(6), "admin@wildbit.com", SuppressionReason.Manual, occurredAt: null);
        AssertRejected(read.Row(7), "unknown Postmark reason 'SoftBounce'");
    }

    [Theory]
    [InlineData("email,created,status,reason", "sendgrid-bounces")]
    [InlineData("REASON,Status,Created,EMAIL", "sendgrid-bounces")]
    [InlineData("email,created,reason", "sendgrid-invalid-emails")]
    [InlineData("email,created", "sendgrid-unsubscribes")]
    [InlineData("email,created,group_id,group_name", "sendgrid-unsubscribes")]
    [InlineData("address,scope,reason", "gateway")]
    [InlineData("address,address_hash,scope,reason,source,created_at,batch", "gateway")]
    [InlineData("address,address_hash,scope,reason,source,created_at,batch,mailbox_key", "gateway")]
    [InlineData("address,created_at", "mailgun-complaints")]
    [InlineData("id,address,created_at,count", "mailgun-complaints")]
    [InlineData("address,tags,created_at", "mailgun-unsubscribes")]
    [InlineData("address,code,error,created_at", "mailgun-bounces")]
    [InlineData(" EmailAddress , Reason , LastUpdateTime ", "ses")]
    [InlineData("\"EmailAddress\",\"SuppressionReason\",\"Origin\",\"CreatedAt\"", "postmark")]
    public async Task Header_selects_the_most_specific_format_whose_columns_are_all_present(string header, string format)
    {
        var read = await ReadAsync(header + "\n");

        Assert.Equal(format, read.Result.FormatName);
        Assert.Empty(read.Rows);
    }

    [Theory]
    [InlineData("Email Address,Bounce Type,Date")]
    [InlineData("emails")]
    [InlineData("email,created,status")]
    [InlineData("address,code,created_at")]
    [InlineData("address,BOUNCE")]
    public async Task Header_that_matches_no_export_fails_the_import_naming_the_supported_formats(string header)
    {
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(header + "\nuser@example.com,BOUNCE,2023-01-01\n"));

        Assert.Contains("matches no supported export", error.Message, StringComparison.Ordinal);
        Assert.All(Enum.GetValues<ImportFormat>(), format => Assert.Contains(format.Name(), error.Message, StringComparison.Ordinal));
        Assert.Contains("sendgrid-bounces (email, created, status, reason)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_that_matches_two_exports_equally_well_fails_instead_of_guessing()
    {
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync("email,created,ip,reason\n"));

        Assert.Contains("sendgrid-spam-reports", error.Message, StringComparison.Ordinal);
        Assert.Contains("sendgrid-invalid-emails", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \n")]
    [InlineData("\uFEFF")]
    public async Task Empty_file_fails_the_import(string csv)
    {
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(csv));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }
}
