using Suppression.Import;
using Suppression.Suppressions;
using static Suppression.Core.Tests.Import.ImportFiles;

namespace Suppression.Core.Tests.Import;

// Plain lists of addresses, as a CRM or a spreadsheet saves them (tests/corpus/import-samples):
// the rows give no reason, so the uploader gives it, and a manual list needs evidence.
public class AddressListImportTests
{
    private static readonly ImportOptions Unsubscribes = new(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe);

    [Fact]
    public async Task Email_column_with_bom_crlf_and_quotes_imports_the_good_rows_and_names_the_bad_lines()
    {
        var read = await ReadSampleAsync("address-list-email.csv", Unsubscribes);

        Assert.Equal("address-list", read.Result.FormatName);
        Assert.Equal([2L, 3L, 4L, 6L, 7L, 8L], read.Rows.Select(row => row.Line));
        AssertAccepted(read.Row(2), "jane.doe@example.com", SuppressionReason.Unsubscribe, occurredAt: null);
        Assert.Equal(SuppressionScope.ForTenant("acme"), read.Row(2).Scope);
        AssertAccepted(read.Row(3), "o'brien@example.org", SuppressionReason.Unsubscribe, occurredAt: null);
        AssertRejected(read.Row(4), "'@'");
        AssertAccepted(read.Row(6), "padded@example.net", SuppressionReason.Unsubscribe, occurredAt: null);
        Assert.False(read.Row(7).IsRejected, read.Row(7).Error);
        AssertRejected(read.Row(8), "a quoted field has text after its closing quote");
    }

    [Fact]
    public async Task List_without_a_header_starts_with_an_address_and_its_first_line_is_a_row()
    {
        var read = await ReadSampleAsync("address-list-headerless.txt", new ImportOptions(SuppressionScope.Global, Evidence: "ticket 4711: list from the old CRM"));

        Assert.Equal("address-list", read.Result.FormatName);
        Assert.Equal(4, read.Rows.Count);
        AssertAccepted(read.Row(1), "first@example.com", SuppressionReason.Manual, occurredAt: null);
        AssertAccepted(read.Row(2), "second@example.org", SuppressionReason.Manual, occurredAt: null);
        Assert.True(read.Row(3).IsRejected);
        AssertAccepted(read.Row(4), "fourth@example.net", SuppressionReason.Manual, occurredAt: null);
    }

    [Fact]
    public async Task Semicolon_sheet_padded_with_empty_columns_is_still_a_one_column_list()
    {
        var read = await ReadSampleAsync("address-list-semicolon-padded.csv", Unsubscribes, chunkSize: 3);

        Assert.Equal("address-list", read.Result.FormatName);
        AssertAccepted(read.Row(2), "alice@example.com", SuppressionReason.Unsubscribe, occurredAt: null);
        AssertAccepted(read.Row(3), "bob@example.org", SuppressionReason.Unsubscribe, occurredAt: null);
        Assert.True(read.Row(4).IsRejected, "a row of empty cells has no address");
        AssertAccepted(read.Row(5), "carol@example.net", SuppressionReason.Unsubscribe, occurredAt: null);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("E-Mail")]
    [InlineData("ADDRESS")]
    [InlineData("email address")]
    [InlineData("\"Email Address\"")]
    public async Task Any_usual_name_of_the_one_column_makes_an_address_list(string header)
    {
        var read = await ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header + "\r\nsomeone@example.com\r\n")), Unsubscribes);

        Assert.Equal("address-list", read.Result.FormatName);
        AssertAccepted(Assert.Single(read.Rows), "someone@example.com", SuppressionReason.Unsubscribe, occurredAt: null);
    }

    [Fact]
    public async Task Manual_list_without_evidence_is_refused_before_any_row()
    {
        var error = await Assert.ThrowsAsync<ImportOptionsException>(() => ReadSampleAsync("address-list-headerless.txt"));

        Assert.Equal("evidence", error.Parameter);
        Assert.Contains("manual", error.Message, StringComparison.Ordinal);
        Assert.Contains("?evidence=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicit_manual_reason_needs_evidence_too_and_blank_evidence_is_none()
    {
        var error = await Assert.ThrowsAsync<ImportOptionsException>(
            () => ReadSampleAsync("address-list-email.csv", new ImportOptions(SuppressionScope.Global, SuppressionReason.Manual, Evidence: "   ")));

        Assert.Equal("evidence", error.Parameter);
    }

    [Fact]
    public async Task A_reason_for_a_file_whose_rows_give_their_own_is_refused()
    {
        var error = await Assert.ThrowsAsync<ImportOptionsException>(
            () => ReadSampleAsync("mailchimp-cleaned.csv", new ImportOptions(SuppressionScope.Global, SuppressionReason.Unsubscribe)));

        Assert.Equal("reason", error.Parameter);
        Assert.Contains("mailchimp-cleaned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_reason_keeps_a_list_to_marketing_mail()
    {
        var read = await ReadSampleAsync("address-list-headerless.txt", new ImportOptions(SuppressionScope.Global, SuppressionReason.Import));

        Assert.All(read.Rows.Where(row => !row.IsRejected), row => Assert.Equal(SuppressionReason.Import, row.Reason));
    }
}
