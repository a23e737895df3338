using System.Security.Cryptography;
using System.Text;
using Suppression.Addresses;
using Suppression.Import;
using Suppression.Suppressions;
using Suppression.Testing.Fuzzing;

namespace Suppression.Core.Tests.Import;

// An import file is whatever the operator (or whoever handed it to them) uploads. Whatever it
// holds, the reader refuses the file only at its header (ImportFormatException, a 400), and
// otherwise reports every row, good or bad, at the physical line where it starts, however the
// upload is split into reads.
public sealed class SuppressionCsvReaderFuzzTests
{
    private static readonly string[] Headers =
    [
        "address,scope,reason,created_at,address_hash", "address,scope,reason,mailbox_key,address_hash", "EmailAddress,Reason,LastUpdateTime", "email,created,status,reason",
        "email,created,ip", "email,created,reason", "email,created", "address,code,error,created_at", "address,tags,created_at",
        "address,created_at", "EmailAddress,SuppressionReason,Origin,CreatedAt", "ADDRESS , Scope,REASON", "email,created,status,reason,status",
        "email", "Email Address,UNSUB_TIME", "Email Address,CLEAN_TIME", "Email,Portal Bounce,Portal Unsubscribe,Portal Spam Report,Global Bounce",
        "email,reason,blockedAt", "EMAIL;ADDED_TIME;MODIFIED_TIME", "Email,Suppression Reason,Suppression Date",
    ];

    // Fits every format: lists without reasons are manual, with evidence.
    private static readonly ImportOptions Options = new(SuppressionScope.Global, Evidence: "fuzz");

    private static readonly string[] Fields =
    [
        "a@example.com", "\"a,b\"@example.com", "\"\"\"john smith\"\"@example.com\"", "J\u030C@example.com", "user@b\u00FCcher.example", "not-an-address",
        "", " ", "global", "tenant:acme", "topic:acme/news", "tenant:", "hard-bounce", "unsubscribe", "complaint", "manual", "BOUNCE", "COMPLAINT",
        "HardBounce", "SpamComplaint", "ManualSuppression", "Recipient", "Customer", "1443651125", "-1", "99999999999999999999",
        "2019-12-10T08:58:33-05:00", "Tue, 10 Dec 2019 08:58:33 +0000", "2019-02-30", "5.1.1", "550", "\"550 5.1.1 gone\nRemote said: no\"",
        "\"unclosed", "\"quoted\"trailing", "\"\"", "\"a\"\"b\"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "002df.a0a26ef2e5955397e0ea", "3ffff.a0a26ef2e5955397e0e",
        "TRUE", "FALSE", "hardBounce", "Hard bounce", "USER_SUPPRESSED", "2024-02-03 10:00:00", "a@example.com;;",
    ];

    [Fact]
    public Task Any_file_is_read_to_its_end_or_refused_at_its_header() =>
        Fuzz.RunAsync(defaultSeed: 4180, defaultIterations: 800, Generate, AssertReadsConsistentlyAsync);

    private static byte[] Generate(FuzzRandom random)
    {
        if (random.Chance(0.15))
        {
            return random.Bytes(3000);
        }

        var csv = new StringBuilder();
        if (random.Chance(0.1))
        {
            csv.Append('\uFEFF');
        }

        var lineEnd = random.Chance(0.5) ? "\n" : "\r\n";
        if (random.Chance(0.9))
        {
            csv.Append(random.Pick(Headers)).Append(lineEnd);
        }

        var rows = random.Next(0, 30);
        for (var row = 0; row < rows; row++)
        {
            var fields = random.Next(0, 7);
            csv.AppendJoin(',', Enumerable.Range(0, fields).Select(_ => random.Chance(0.1) ? random.Text(30) : random.Pick(Fields)));
            csv.Append(random.Chance(0.05) ? string.Empty : lineEnd);
        }

        var text = random.Chance(0.6) ? random.Mutate(csv.ToString(), [",", ";", "\"", "\n", "\r\n", "\r", "\"\"", ",\"", "\",", lineEnd]) : csv.ToString();
        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Chance(0.02))
        {
            // Past the 16 KiB record limit, with a quote that may or may not close it.
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes("\"" + new string('x', 16 * 1024) + "\"\nb@example.com,1,2,3\n")];
        }

        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }

    private static async Task AssertReadsConsistentlyAsync(byte[] csv)
    {
        var whole = await ReadAsync(csv, int.MaxValue);
        if (whole.Refusal is not null)
        {
            Assert.Empty(whole.Rows);
        }
        else
        {
            Assert.NotNull(whole.Result.Format);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(csv)), whole.Result.FileDigest);
        }

        var lines = csv.Count(b => b == (byte)'\n') + 1;
        var previous = 0L;
        foreach (var row in whole.Rows)
        {
            Assert.InRange(row.Line, previous + 1, lines);
            previous = row.Line;
            if (row.IsRejected)
            {
                Assert.False(string.IsNullOrWhiteSpace(row.Error));
            }
            else
            {
                if (row.Target.Address is { } address)
                {
                    Assert.Equal(address, AddressNormalizer.Normalize(address.Value));
                }
                else
                {
                    Assert.NotNull(row.Target.Key);
                }
            }
        }

        // Reads of a few bytes put every record, quote and line end across a read boundary
        // (one byte at a time only for the smaller files, to keep the run short).
        foreach (var chunkSize in csv.Length < 4096 ? [1, 7, 4096] : new[] { 7, 4096 })
        {
            var chunked = await ReadAsync(csv, chunkSize);
            Assert.Equal(whole.Refusal, chunked.Refusal);
            Assert.Equal(whole.Result.Format, chunked.Result.Format);
            Assert.Equal(whole.Result.FileDigest, chunked.Result.FileDigest);
            Assert.Equal(whole.Rows, chunked.Rows);
        }
    }

    private static async Task<(List<ImportRow> Rows, ImportReadResult Result, string? Refusal)> ReadAsync(byte[] csv, int chunkSize)
    {
        var rows = new List<ImportRow>();
        var result = new ImportReadResult();
        try
        {
            await foreach (var row in SuppressionCsvReader.ReadAsync(new ChunkedStream(csv, chunkSize), Options, result, CancellationToken.None))
            {
                rows.Add(row);
            }
        }
        catch (ImportFormatException refusal)
        {
            // Only the header can refuse the file: after a row has come back, nothing may.
            Assert.Empty(rows);
            return (rows, result, refusal.Message);
        }

        return (rows, result, null);
    }
}
