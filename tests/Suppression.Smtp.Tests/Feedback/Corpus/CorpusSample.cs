using System.Text;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// One row of a corpus's manifest.csv (tests/corpus/feedback/, or the held-out
/// tests/corpus/feedback-heldout/ in the same format): a recipient the reference classifier (sisimai)
/// names in a sample, with the original address it was expanded from when the report says
/// (sisimai's alias, a DSN's Original-Recipient), and the verdict it gives (hard, soft, complaint or none).
/// </summary>
public sealed record CorpusSample(string File, string Family, string ExpectedVerdict, string ReferenceReason, string ReferenceRecipient, string ReferenceAlias)
{
    // The corpus the classifier is tuned against, and the one kept out of tuning to measure how it
    // does on bounces it has never seen (tests/corpus/feedback-heldout/README.md).
    public const string Tuning = "feedback";
    public const string HeldOut = "feedback-heldout";

    public static string Directory => DirectoryOf(Tuning);

    public static string DirectoryOf(string corpus) => Path.Combine(AppContext.BaseDirectory, "corpus", corpus);

    public IEnumerable<string> ReferenceAddresses => ReferenceAlias.Length == 0 ? [ReferenceRecipient] : [ReferenceRecipient, ReferenceAlias];

    public static IReadOnlyList<CorpusSample> ReadManifest(string? directory = null)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(directory ?? Directory, "manifest.csv"));
        var header = Fields(lines[0]);
        int Column(string name) => header.IndexOf(name) is var index and >= 0 ? index : throw new InvalidDataException($"manifest.csv has no '{name}' column.");
        var columns = new[] { "file", "family", "expected_verdict", "reference_reason", "reference_recipient", "reference_alias" }.Select(Column).ToArray();
        return lines.Skip(1)
            .Where(line => line.Length > 0)
            .Select(Fields)
            .Select(fields => new CorpusSample(fields[columns[0]], fields[columns[1]], fields[columns[2]], fields[columns[3]], fields[columns[4]], fields[columns[5]]))
            .ToList();
    }

    // RFC 4180, as Python's csv module writes it: a field holding a comma or a quote is quoted, and a
    // quote inside is doubled (an address such as "neko..."@example.org has both).
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var next = line[i];
            if (quoted && next == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (next == '"')
            {
                quoted = !quoted;
            }
            else if (next == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(next);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
