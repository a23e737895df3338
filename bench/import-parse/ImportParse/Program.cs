using System.Diagnostics;
using System.Globalization;
using System.Text;
using Suppression.Import;
using Suppression.Suppressions;

// Parse throughput of SuppressionCsvReader on a SendGrid bounce export held in memory: no network,
// no store, just bytes to rows. See bench/README.md.
const string Usage = "usage: ImportParse [--rows N] [--runs N] [--created unix|iso]";
var rows = 1_000_000;
var runs = 5;
var isoTimes = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out rows) && rows > 0:
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out runs) && runs > 0:
            i++;
            break;
        case "--created" when i + 1 < args.Length && args[i + 1] is "unix" or "iso":
            isoTimes = args[++i] == "iso";
            break;
        default:
            await Console.Error.WriteLineAsync(Usage);
            return 2;
    }
}

var csv = SendGridBounces(rows, isoTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows={rows} bytes={csv.Length} created={(isoTimes ? "iso" : "unix")} runs={runs} (+1 warm-up)"));

// The warm-up run lets tiered JIT reach the optimised code before anything is measured.
await ReadAllAsync(csv, rows);
var rates = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var elapsed = await ReadAllAsync(csv, rows);
    rates.Add(rows / elapsed.TotalSeconds);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture, $"run {run}: {elapsed.TotalSeconds:F3} s, {rows / elapsed.TotalSeconds:N0} rows/s, {csv.Length / elapsed.TotalSeconds / 1e6:F0} MB/s"));
}

rates.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {rates[rates.Count / 2]:N0} rows/s"));
return 0;

static async Task<TimeSpan> ReadAllAsync(byte[] csv, int expectedRows)
{
    var result = new ImportReadResult();
    var accepted = 0;
    var started = Stopwatch.GetTimestamp();
    await foreach (var row in SuppressionCsvReader.ReadAsync(new MemoryStream(csv, writable: false), SuppressionScope.Global, result, CancellationToken.None))
    {
        if (row.IsRejected)
        {
            throw new InvalidOperationException($"line {row.Line}: {row.Error}");
        }

        accepted++;
    }

    var elapsed = Stopwatch.GetElapsedTime(started);
    if (accepted != expectedRows || result.Format != ImportFormat.SendGridBounces || result.FileDigest is null)
    {
        throw new InvalidOperationException($"read {accepted} of {expectedRows} rows as {result.FormatName}");
    }

    return elapsed;
}

// Distinct addresses over a thousand domains, the reason quoted as SendGrid writes it.
static byte[] SendGridBounces(int rows, bool isoTimes)
{
    var text = new StringBuilder("email,created,status,reason\n");
    var epoch = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    for (var i = 0; i < rows; i++)
    {
        var created = epoch.AddSeconds(i);
        text.Append(CultureInfo.InvariantCulture, $"user.{i}@example{i % 1000}.com,")
            .Append(isoTimes ? created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Append(",5.1.1,\"550 5.1.1 The email account that you tried to reach does not exist.\"\n");
    }

    return Encoding.UTF8.GetBytes(text.ToString());
}
