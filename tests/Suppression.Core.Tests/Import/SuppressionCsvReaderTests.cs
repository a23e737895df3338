using System.Security.Cryptography;
using System.Text;
using Suppression.Import;
using Suppression.Suppressions;
using static Suppression.Core.Tests.Import.ImportFiles;

namespace Suppression.Core.Tests.Import;

// The CSV side of an import (RFC 4180): what line an operator is sent to, what survives quoting,
// line ends and byte-order marks, and what a hostile or broken file costs.
public class SuppressionCsvReaderTests
{
    private const string SendGridHeader = "email,created,status,reason";

    private static readonly DateTimeOffset Created = new(2015, 9, 30, 22, 12, 5, TimeSpan.Zero);

    [Fact]
    public async Task Bad_row_after_a_multi_line_quoted_field_reports_its_physical_line()
    {
        var read = await ReadAsync(
            SendGridHeader + "\n"
            + "first@example.com,1443651125,5.1.1,\"550 5.1.1 The account does not exist.\n"
            + "Remote server said:\n"
            + "  mailbox unknown\"\n"
            + "not-an-address,1443651125,5.1.1,\"550, unknown\"\n"
            + "last@example.com,1443651125,5.1.1,\"550 \"\"quoted\"\"\"\n");

        Assert.Equal([2L, 5L, 6L], read.Rows.Select(row => row.Line));
        AssertAccepted(read.Row(2), "first@example.com", SuppressionReason.HardBounce, Created);
        AssertRejected(read.Row(5), "The address needs a local part and a domain");
        AssertAccepted(read.Row(6), "last@example.com", SuppressionReason.HardBounce, Created);
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_and_doubled_quotes()
    {
        var read = await ReadAsync(
            "address,scope,reason\n"
            + "\"\"\"john smith\"\"@example.com\",\"global\",\"hard-bounce\"\n"
            + "\"a,b@example.com\",global,manual\n");

        AssertAccepted(read.Row(2), "\"john smith\"@example.com", SuppressionReason.HardBounce, occurredAt: null);
        AssertRejected(read.Row(3), "only allowed inside quotes");
    }

    [Fact]
    public async Task The_gateways_own_export_has_one_apostrophe_removed_before_a_formula_character_and_only_there()
    {
        string[] addresses = ["=1+2@example.com", "'quote@example.com", "-x@example.com", "plain@example.com"];
        var read = await ReadAsync("address,scope,reason\n" + string.Concat(addresses.Select(address => AddressCell.Write(address) + ",global,manual\n")));

        AssertAccepted(read.Row(2), "=1+2@example.com", SuppressionReason.Manual, occurredAt: null);
        AssertAccepted(read.Row(3), "'quote@example.com", SuppressionReason.Manual, occurredAt: null);
        AssertAccepted(read.Row(4), "-x@example.com", SuppressionReason.Manual, occurredAt: null);
        AssertAccepted(read.Row(5), "plain@example.com", SuppressionReason.Manual, occurredAt: null);

        // An export from before the convention: an apostrophe not followed by one of them stays.
        var old = await ReadAsync("address,scope,reason\n'quote@example.com,global,manual\n=1+2@example.com,global,manual\n");
        AssertAccepted(old.Row(2), "'quote@example.com", SuppressionReason.Manual, occurredAt: null);
        AssertAccepted(old.Row(3), "=1+2@example.com", SuppressionReason.Manual, occurredAt: null);

        // Other formats keep a leading apostrophe whatever follows.
        var other = await ReadAsync(SendGridHeader + "\n'-x@example.com,1443651125,5.1.1,x\n");
        AssertAccepted(other.Row(2), "'-x@example.com", SuppressionReason.HardBounce, Created);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_without_shifting_line_numbers()
    {
        var read = await ReadAsync("\n" + SendGridHeader + "\n\na@example.com,1443651125,5.1.1,x\n   \r\n\nb@example.com,1443651125,5.1.1,x\n\n");

        Assert.Equal([4L, 7L], read.Rows.Select(row => row.Line));
        Assert.All(read.Rows, row => Assert.False(row.IsRejected));
    }

    [Fact]
    public async Task Crlf_file_reads_like_its_lf_twin()
    {
        const string Csv = """
            EmailAddress,SuppressionReason,Origin,CreatedAt
            a@example.com,HardBounce,Recipient,2019-12-10T08:58:33-05:00
            "b@example.com","SpamComplaint","Recipient","2019-12-10T08:58:33-05:00"
            c@example.com,ManualSuppression,Recipient,"2019-12-10T08:58:33-05:00"

            """;

        // The last line ends with the CR of a CRLF whose LF never came.
        const string LastLine = "d@example.com,HardBounce,Recipient,2019-12-10T08:58:33-05:00";
        var lf = await ReadAsync(Csv.ReplaceLineEndings("\n") + LastLine);
        var crlf = await ReadAsync(Csv.ReplaceLineEndings("\r\n") + LastLine + "\r");

        Assert.Equal(4, crlf.Rows.Count);
        Assert.All(crlf.Rows, row => Assert.False(row.IsRejected, row.Error));
        Assert.Equal(lf.Rows, crlf.Rows);
    }

    [Fact]
    public async Task Byte_order_mark_is_skipped_and_included_in_the_digest()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("EmailAddress,Reason,LastUpdateTime\r\nbounced@example.com,BOUNCE,2023-04-05T17:01:19Z")];

        var read = await ReadAsync(bytes);

        Assert.Equal("ses", read.Result.FormatName);
        AssertAccepted(read.Row(2), "bounced@example.com", SuppressionReason.HardBounce, new DateTimeOffset(2023, 4, 5, 17, 1, 19, TimeSpan.Zero));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), read.Result.FileDigest);
    }

    [Fact]
    public async Task File_digest_is_the_sha256_of_the_bytes_read_and_known_only_at_the_end()
    {
        var bytes = Encoding.UTF8.GetBytes(SendGridHeader + "\na@example.com,1443651125,5.1.1,x\nbroken\n");
        var result = new ImportReadResult();

        await using (var rows = SuppressionCsvReader.ReadAsync(new MemoryStream(bytes), SuppressionScope.Global, result, CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await rows.MoveNextAsync());
            Assert.Equal(ImportFormat.SendGridBounces, result.Format);
            Assert.Null(result.FileDigest);
            while (await rows.MoveNextAsync())
            {
            }
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.FileDigest);
    }

    [Fact]
    public async Task Rows_take_the_default_scope_except_in_our_own_export()
    {
        var tenant = SuppressionScope.ForTenant("acme");

        var sendGrid = await ReadAsync(SendGridHeader + "\na@example.com,1443651125,5.1.1,x\n", tenant);
        var gateway = await ReadAsync("address,scope,reason\na@example.com,global,manual\nb@example.com,tenant:other,manual\n", tenant);

        Assert.Equal(tenant, sendGrid.Row(2).Scope);
        Assert.Equal(SuppressionScope.Global, gateway.Row(2).Scope);
        Assert.Equal(SuppressionScope.ForTenant("other"), gateway.Row(3).Scope);
    }

    [Fact]
    public async Task Row_with_fewer_fields_than_the_header_needs_is_rejected()
    {
        var read = await ReadAsync(SendGridHeader + "\na@example.com,1443651125\nb@example.com,1443651125,5.1.1\n");

        AssertRejected(read.Row(2), "the row has 2 fields where the header needs at least 3");
        AssertAccepted(read.Row(3), "b@example.com", SuppressionReason.HardBounce, Created);
    }

    [Fact]
    public async Task Broken_quoting_rejects_the_row_not_the_file()
    {
        var read = await ReadAsync(SendGridHeader + "\n\"a@example.com\"x,1443651125,5.1.1,r\nb@example.com,1443651125,5.1.1,\"never closed");

        AssertRejected(read.Row(2), "a quoted field has text after its closing quote");
        AssertRejected(read.Row(3), "a quoted field is not closed");
    }

    [Fact]
    public async Task Address_that_is_not_utf8_is_rejected()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(SendGridHeader + "\nj"), 0xFF, .. Encoding.UTF8.GetBytes("rg@example.com,1443651125,5.1.1,x\n")];

        var read = await ReadAsync(bytes);

        AssertRejected(read.Row(2), "the address is not valid UTF-8");
    }

    [Fact]
    public async Task Record_longer_than_16_KiB_is_rejected_and_reading_resumes_at_the_next_line()
    {
        var read = await ReadAsync(
            SendGridHeader + "\n"
            + "a@example.com,1443651125,5.1.1,x\n"
            + "b@example.com,1443651125,5.1.1," + new string('x', 20_000) + "\n"
            + "c@example.com,1443651125,5.1.1,x\n");

        Assert.Equal([2L, 3L, 4L], read.Rows.Select(row => row.Line));
        AssertRejected(read.Row(3), "the record is longer than 16 KiB");
        AssertAccepted(read.Row(4), "c@example.com", SuppressionReason.HardBounce, Created);
    }

    [Fact]
    public async Task Unclosed_quote_costs_at_most_16_KiB_of_the_file_and_line_numbers_stay_right()
    {
        var rows = string.Concat(Enumerable.Range(3, 1000).Select(line => $"user{line}@example.com,1443651125,5.1.1,x\n"));

        var read = await ReadAsync(SendGridHeader + "\nlost@example.com,1443651125,5.1.1,\"unclosed\n" + rows);

        AssertRejected(read.Row(2), "the record is longer than 16 KiB");
        var resumed = read.Rows.Where(row => row.Line > 2).ToList();
        Assert.InRange(resumed.Count, 1000 - (16 * 1024 / 30), 1000);
        Assert.All(resumed, row => AssertAccepted(row, $"user{row.Line}@example.com", SuppressionReason.HardBounce, Created));
    }

    [Fact]
    public async Task Endless_line_is_read_in_bounded_memory()
    {
        const long Length = 32L * 1024 * 1024;
        var stream = new RepeatingStream(
            Encoding.UTF8.GetBytes(SendGridHeader + "\n"), (byte)'x', Length, Encoding.UTF8.GetBytes("\nlast@example.com,1443651125,5.1.1,x\n"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await ReadAsync(stream);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertRejected(read.Row(2), "the record is longer than 16 KiB");
        AssertAccepted(read.Row(3), "last@example.com", SuppressionReason.HardBounce, Created);
        Assert.InRange(allocated, 0, 1024 * 1024);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Rows_do_not_depend_on_how_the_body_is_split_into_reads(int chunkSize)
    {
        byte[] bytes =
        [
            0xEF, 0xBB, 0xBF,
            .. Encoding.UTF8.GetBytes(
                "address,code,error,created_at\r\n"
                + "alice@example.com,550,\"line one\r\nline \"\"two\"\"\",\"Fri, 21 Oct 2011 11:02:55 GMT\"\r\n"
                + "\r\n"
                + "b\u00fccher@b\u00fccher.example,550,\"\",2011-10-23T09:15:00Z\r\n"
                + "broken,550,x,\"Fri, 21 Oct 2011 11:02:55 GMT\"\r\n"
                + "\"last@example.com\",550,x,\"2011-10-23T09:15:00Z\""),
        ];

        var whole = await ReadAsync(bytes);
        var chunked = await ReadAsync(bytes, chunkSize: chunkSize);

        Assert.Equal([2L, 5L, 6L, 7L], whole.Rows.Select(row => row.Line));
        AssertAccepted(whole.Row(5), "b\u00fccher@xn--bcher-kva.example", SuppressionReason.HardBounce, new DateTimeOffset(2011, 10, 23, 9, 15, 0, TimeSpan.Zero));
        Assert.Equal(whole.Rows, chunked.Rows);
        Assert.Equal(whole.Result.FileDigest, chunked.Result.FileDigest);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), chunked.Result.FileDigest);
    }
}
