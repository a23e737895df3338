using Xunit.Abstractions;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// The gateway's feedback reading on 618 real-world bounces and complaints (tests/corpus/feedback),
/// against an independent classifier's verdicts. Asserts what must hold today; the issue-17 targets
/// (at most 1% wrong hard bounces, 90% of real ones found) are measured by bench/feedback/, not asserted yet.
/// </summary>
public sealed class CorpusTests(CorpusTests.MeasuredCorpus corpus, ITestOutputHelper output) : IClassFixture<CorpusTests.MeasuredCorpus>
{
    public sealed class MeasuredCorpus
    {
        public IReadOnlyList<CorpusSample> Manifest { get; } = CorpusSample.ReadManifest();

        // Reading every sample is the "never throws" check: any exception fails every test here.
        public CorpusMeasurement Measurement { get; } = CorpusMeasurement.Run();
    }

    [Fact]
    public void Corpus_holds_at_least_300_samples_from_30_families_each_with_a_reference_verdict()
    {
        var files = corpus.Manifest.Select(row => row.File).Distinct().ToList();

        Assert.True(files.Count >= 300, $"{files.Count} samples");
        Assert.True(corpus.Manifest.Select(row => row.Family).Distinct().Count() >= 30);
        Assert.All(files, file => Assert.True(File.Exists(Path.Combine(CorpusSample.Directory, file)), file));
        Assert.All(corpus.Manifest, row => Assert.Contains(row.ExpectedVerdict, CorpusMeasurement.ExpectedVerdicts));
        Assert.All(corpus.Manifest, row => Assert.Contains('@', row.ReferenceRecipient));
    }

    [Fact]
    public void Every_sample_is_read_without_an_exception_and_counted_once()
    {
        Assert.Equal(corpus.Manifest.Select(row => row.File).Distinct().Count(), corpus.Measurement.Samples);
        Assert.Equal(corpus.Manifest.Count, corpus.Measurement.ReferenceRecipients);
    }

    // The samples in which today's parser suppresses an address the reference does not name: a
    // Final-Recipient that disagrees with the bounce text (Domino, Office 365), and an RFC 2047 word
    // decoded inside an address (Sendmail). Issue 17 item 4 empties this list; nothing may join it.
    private static readonly string[] KnownOtherAddressSuppressed = ["lhost-domino-03.eml", "lhost-office365-04.eml", "lhost-sendmail-25.eml"];

    [Fact]
    public void No_sample_makes_the_gateway_suppress_an_address_the_reference_does_not_name_beyond_todays_known_ones()
    {
        var found = corpus.Measurement.OtherAddressSuppressed.Where(line => !KnownOtherAddressSuppressed.Contains(line.Split(':')[0])).ToList();

        Assert.True(found.Count == 0, string.Join('\n', found));
    }

    // bench/feedback/run.sh runs this test and prints the file it writes.
    [Fact]
    public void Corpus_figures_are_reported()
    {
        var text = corpus.Measurement.ToText();
        output.WriteLine(text);
        if (Environment.GetEnvironmentVariable("FEEDBACK_CORPUS_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, text);
        }

        Assert.Equal(corpus.Measurement.ReferenceHardBounces, corpus.Manifest.Count(row => row.ExpectedVerdict == "hard"));
    }
}
