using System.Globalization;
using System.Text;
using Suppression.Addresses;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// The gateway's verdicts on the corpus against the reference's: a confusion table with one row per
/// reference recipient, and the issue-17 figures. A suppression is what FeedbackHandler writes at
/// once: a hard bounce or a complaint (a soft bounce only counts towards one).
/// </summary>
public sealed class CorpusMeasurement
{
    public static readonly string[] ExpectedVerdicts = ["hard", "soft", "complaint", "none"];

    // "not named": the report was read but says nothing about this recipient.
    public static readonly string[] GatewayVerdicts = ["hard", "complaint", "soft", "none", "not named", "not read", "refused"];

    private readonly Dictionary<(string Expected, string Gateway), int> _table = [];

    private readonly string _title;

    private CorpusMeasurement(string title) => _title = title;

    public int Samples { get; private set; }

    public int ReferenceRecipients { get; private set; }

    public int ReferenceHardBounces { get; private set; }

    public int ReferenceHardBouncesSuppressed { get; private set; }

    public int HardBounceSuppressions { get; private set; }

    public int WrongHardBounceSuppressions { get; private set; }

    public List<string> Refused { get; } = [];

    public List<string> NotRead { get; } = [];

    // "file address (reference reason)" for each hard-bounce suppression the reference does not call one.
    public List<string> WrongHardBounces { get; } = [];

    // The reference's hard bounces the gateway does not suppress, per family.
    public SortedDictionary<string, int> MissedHardBouncesByFamily { get; } = new(StringComparer.Ordinal);

    // "file: gateway verdict, status, diagnostic" for each of them: what to read next.
    public List<string> MissedHardBounces { get; } = [];

    // Samples in which the gateway would suppress an address the reference does not name.
    public List<string> OtherAddressSuppressed { get; } = [];

    public int Count(string expected, string gateway) => _table.GetValueOrDefault((expected, gateway));

    // The tuning corpus by default; CorpusSample.DirectoryOf(CorpusSample.HeldOut) for the held-out one.
    public static CorpusMeasurement Run(string? directory = null, string title = "Feedback corpus")
    {
        directory ??= CorpusSample.Directory;
        var measurement = new CorpusMeasurement(title);
        foreach (var sample in CorpusSample.ReadManifest(directory).GroupBy(row => row.File))
        {
            var reading = CorpusReading.Of(File.ReadAllBytes(Path.Combine(directory, sample.Key)));
            measurement.Add(sample.Key, [.. sample], reading);
        }

        return measurement;
    }

    private void Add(string file, IReadOnlyList<CorpusSample> rows, CorpusReading reading)
    {
        Samples++;
        var read = reading.Report is { Kind: FeedbackKind.DeliveryStatus or FeedbackKind.Complaint };
        if (reading.Transfer != DataBlockOutcome.Complete)
        {
            Refused.Add($"{file} ({reading.Transfer})");
        }
        else if (!read)
        {
            NotRead.Add($"{file} ({reading.Report?.Kind})");
        }

        var named = read ? reading.Report!.Recipients : [];
        var referenceKeys = rows.SelectMany(row => row.ReferenceAddresses).Select(Key).ToHashSet(StringComparer.Ordinal);
        var rightHard = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            ReferenceRecipients++;
            var keys = row.ReferenceAddresses.Select(Key).ToHashSet(StringComparer.Ordinal);
            var gateway = reading.Transfer != DataBlockOutcome.Complete ? "refused"
                : !read ? "not read"
                : Strongest(named.Where(recipient => keys.Contains(recipient.Address.Value)).Select(recipient => recipient.Outcome));
            _table[(row.ExpectedVerdict, gateway)] = Count(row.ExpectedVerdict, gateway) + 1;
            if (row.ExpectedVerdict == "hard")
            {
                ReferenceHardBounces++;
                ReferenceHardBouncesSuppressed += gateway == "hard" ? 1 : 0;
                if (gateway == "hard")
                {
                    rightHard.UnionWith(keys);
                }
                else
                {
                    MissedHardBouncesByFamily[row.Family] = MissedHardBouncesByFamily.GetValueOrDefault(row.Family) + 1;
                    var seen = named.FirstOrDefault(recipient => keys.Contains(recipient.Address.Value));
                    MissedHardBounces.Add($"{file}: {gateway}; reference {row.ReferenceReason}; read {seen?.Status ?? reading.Report?.Reason ?? "-"} {Clip(seen?.Diagnostic)}");
                }
            }
        }

        // Each distinct address the gateway would put on the hard-bounce list is one suppression;
        // it is right only when the reference calls that recipient a hard bounce.
        var hard = named.Where(recipient => recipient.Outcome == FeedbackOutcome.HardBounce).Select(recipient => recipient.Address.Value).Distinct().ToList();
        HardBounceSuppressions += hard.Count;
        foreach (var address in hard.Where(address => !rightHard.Contains(address)))
        {
            WrongHardBounceSuppressions++;
            var reasons = rows.Where(row => row.ReferenceAddresses.Select(Key).Contains(address)).Select(row => row.ReferenceReason).Distinct();
            var seen = named.First(recipient => recipient.Address.Value == address);
            WrongHardBounces.Add($"{file} {address} ({string.Join('/', reasons.DefaultIfEmpty("not named by the reference"))}); read {seen.Status} {Clip(seen.Diagnostic)}");
        }
        if (named.Any(recipient => recipient.SuppressionReason is not null && !referenceKeys.Contains(recipient.Address.Value)))
        {
            OtherAddressSuppressed.Add(file + ": " + string.Join(' ', named.Where(recipient => recipient.SuppressionReason is not null).Select(recipient => recipient.Address.Value).Distinct()));
        }
    }

    private static string Clip(string? text) =>
        text is null ? string.Empty : text.Length <= 160 ? text : text[..160] + "...";

    private static string Strongest(IEnumerable<FeedbackOutcome> outcomes)
    {
        var all = outcomes.ToList();
        return all.Contains(FeedbackOutcome.HardBounce) ? "hard"
            : all.Contains(FeedbackOutcome.Complaint) ? "complaint"
            : all.Contains(FeedbackOutcome.SoftBounce) ? "soft"
            : all.Count > 0 ? "none"
            : "not named";
    }

    // The reference's spelling, compared in the gateway's canonical form.
    private static string Key(string address) =>
        AddressNormalizer.TryNormalize(address, out var normalized, out _) ? normalized.Value : address.Trim().ToLowerInvariant();

    public string ToText()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{_title}: {Samples} samples, {ReferenceRecipients} recipients named by the reference (sisimai)");
        text.AppendLine();
        text.AppendLine("reference \\ gateway | " + string.Join(" | ", GatewayVerdicts) + " | total");
        text.AppendLine("--- | " + string.Join(" | ", GatewayVerdicts.Select(_ => "---:")) + " | ---:");
        foreach (var expected in ExpectedVerdicts)
        {
            var counts = GatewayVerdicts.Select(gateway => Count(expected, gateway)).ToList();
            text.AppendLine(culture, $"{expected} | {string.Join(" | ", counts)} | {counts.Sum()}");
        }

        text.AppendLine();
        text.AppendLine(culture, $"Wrong global hard bounces: {WrongHardBounceSuppressions} of {HardBounceSuppressions} hard-bounce suppressions made ({Percent(WrongHardBounceSuppressions, HardBounceSuppressions)})");
        text.AppendLine(culture, $"Reference hard bounces suppressed: {ReferenceHardBouncesSuppressed} of {ReferenceHardBounces} ({Percent(ReferenceHardBouncesSuppressed, ReferenceHardBounces)})");
        text.AppendLine(culture, $"Samples refused at DATA: {Refused.Count}; accepted but not read as a report: {NotRead.Count}");
        text.AppendLine(culture, $"Samples where an address the reference does not name would be suppressed: {OtherAddressSuppressed.Count}");
        AppendList(text, "Refused", Refused);
        AppendList(text, "Wrong hard bounces (the reference's reason)", WrongHardBounces);
        AppendList(text, "Reference hard bounces not suppressed, per family", [.. MissedHardBouncesByFamily.Select(pair => $"{pair.Key}: {pair.Value}")]);
        AppendList(text, "Other address suppressed", OtherAddressSuppressed);
        AppendList(text, "Reference hard bounces not suppressed, with what the gateway read", MissedHardBounces);
        return text.ToString();
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static void AppendList(StringBuilder text, string title, List<string> items)
    {
        if (items.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(title + ":");
            items.ForEach(item => text.AppendLine("  " + item));
        }
    }
}
