using Suppression.Import;
using Suppression.Suppressions;
using static Suppression.Core.Tests.Import.ImportFiles;

namespace Suppression.Core.Tests.Import;

// Mailchimp, HubSpot, Brevo and Klaviyo exports as each writes them (tests/corpus/import-samples,
// whose README names the document behind each header): the vendor's reason becomes ours, and its
// time, where it gives one, the entry's.
public class MarketingPlatformImportTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public async Task Mailchimp_unsubscribed_members_are_unsubscribes_at_their_unsub_time()
    {
        var read = await ReadSampleAsync("mailchimp-unsubscribed.csv");

        Assert.Equal("mailchimp-unsubscribed", read.Result.FormatName);
        AssertAccepted(read.Row(2), "ana.lima@example.com", SuppressionReason.Unsubscribe, Utc(2024, 2, 3, 10, 0, 0));
        AssertAccepted(read.Row(3), "ben.okafor@example.org", SuppressionReason.Unsubscribe, Utc(2024, 3, 15, 18, 22, 9));
        AssertRejected(read.Row(4), "'@'");
        AssertRejected(read.Row(5), "unreadable time 'last week'");
        AssertAccepted(read.Row(6), "eve@example.net", SuppressionReason.Unsubscribe, occurredAt: null);
    }

    [Fact]
    public async Task Mailchimp_cleaned_members_are_hard_bounces_at_their_clean_time()
    {
        var read = await ReadSampleAsync("mailchimp-cleaned.csv", chunkSize: 5);

        Assert.Equal("mailchimp-cleaned", read.Result.FormatName);
        AssertAccepted(read.Row(2), "gone@example.com", SuppressionReason.HardBounce, Utc(2024, 1, 22, 3, 15, 41));
        AssertAccepted(read.Row(3), "typo@gmial.com", SuppressionReason.HardBounce, Utc(2024, 1, 22, 3, 15, 44));
        Assert.True(read.Row(4).IsRejected);
    }

    [Fact]
    public async Task HubSpot_flags_become_the_reason_that_blocks_most_and_a_subscription_type_opt_out_is_not_imported()
    {
        var read = await ReadSampleAsync("hubspot-unsubscribes-and-bounces.csv");

        Assert.Equal("hubspot", read.Result.FormatName);
        AssertAccepted(read.Row(2), "bounced@example.com", SuppressionReason.HardBounce, occurredAt: null);
        AssertAccepted(read.Row(3), "optout@example.com", SuppressionReason.Unsubscribe, occurredAt: null);
        AssertAccepted(read.Row(4), "spam@example.org", SuppressionReason.Complaint, occurredAt: null);
        AssertAccepted(read.Row(5), "global@example.net", SuppressionReason.HardBounce, occurredAt: null);
        AssertRejected(read.Row(6), "an opt-out of some subscription types only is not a suppression");
        AssertRejected(read.Row(7), "'@'");
    }

    [Fact]
    public async Task Brevo_blocked_contacts_map_each_reason_code_or_label_and_keep_blocked_at()
    {
        var read = await ReadSampleAsync("brevo-blocked-contacts.csv");

        Assert.Equal("brevo-blocked", read.Result.FormatName);
        AssertAccepted(read.Row(2), "hard@example.com", SuppressionReason.HardBounce, Utc(2024, 4, 1, 8, 30, 0));
        AssertAccepted(read.Row(3), "spam@example.org", SuppressionReason.Complaint, Utc(2024, 4, 2, 9, 0, 0));
        AssertAccepted(read.Row(4), "unsub@example.net", SuppressionReason.Unsubscribe, Utc(2024, 4, 3, 10, 15, 0));
        AssertAccepted(read.Row(5), "admin@example.net", SuppressionReason.Manual, Utc(2024, 4, 4, 11, 0, 0));
        AssertRejected(read.Row(6), "unknown Brevo reason 'softBounce'");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task Brevo_contacts_export_is_split_at_semicolons_and_takes_the_reason_the_uploader_gives(int chunkSize)
    {
        var read = await ReadSampleAsync("brevo-contacts-blocklisted.csv", new ImportOptions(SuppressionScope.Global, SuppressionReason.Unsubscribe), chunkSize);

        Assert.Equal("brevo-contacts", read.Result.FormatName);
        AssertAccepted(read.Row(2), "marie.dupont@example.fr", SuppressionReason.Unsubscribe, occurredAt: null);
        AssertAccepted(read.Row(3), "jean.martin@example.fr", SuppressionReason.Unsubscribe, occurredAt: null);
        Assert.True(read.Row(4).IsRejected);
        AssertAccepted(read.Row(5), "luc.bernard@example.fr", SuppressionReason.Unsubscribe, occurredAt: null);
    }

    [Fact]
    public async Task Brevo_contacts_export_without_a_reason_is_a_manual_list_and_needs_evidence()
    {
        var error = await Assert.ThrowsAsync<ImportOptionsException>(() => ReadSampleAsync("brevo-contacts-blocklisted.csv"));

        Assert.Equal("evidence", error.Parameter);
    }

    [Fact]
    public async Task Klaviyo_suppression_reasons_map_to_ours_and_an_unknown_one_is_rejected()
    {
        var read = await ReadSampleAsync("klaviyo-suppressed-profiles.csv");

        Assert.Equal("klaviyo", read.Result.FormatName);
        AssertAccepted(read.Row(2), "hb@example.com", SuppressionReason.HardBounce, Utc(2024, 5, 1, 7, 0, 0));
        AssertAccepted(read.Row(3), "unsub@example.com", SuppressionReason.Unsubscribe, Utc(2024, 5, 2, 6, 0, 0));
        AssertAccepted(read.Row(4), "spam@example.org", SuppressionReason.Complaint, Utc(2024, 5, 3, 9, 0, 0));
        AssertAccepted(read.Row(5), "manual@example.net", SuppressionReason.Manual, Utc(2024, 5, 4, 10, 0, 0));
        AssertAccepted(read.Row(6), "invalid@example.net", SuppressionReason.HardBounce, occurredAt: null);
        AssertRejected(read.Row(7), "unknown Klaviyo reason 'Soft bounce'");
    }
}
