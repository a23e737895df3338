using Xunit.Abstractions;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// The gateway's feedback reading on 618 real-world bounces and complaints (tests/corpus/feedback),
/// against an independent classifier's verdicts. Asserts what must hold today; the issue-17 targets
/// (at most 1% wrong hard bounces, 90% of real ones found) are measured by bench/feedback/; the last
/// measured figures are asserted as ratchets.
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

    // Issue 17 item 4: the three samples that once put an address the reference does not name on
    // the list (an RFC 2047 word decoded inside Final-Recipient in lhost-sendmail-25; Final-Recipients
    // that disagree with the bounce text in lhost-domino-03 and lhost-office365-04, now soft by the
    // BounceEvidence rules) no longer do, and none may start.
    [Fact]
    public void No_sample_makes_the_gateway_suppress_an_address_the_reference_does_not_name()
    {
        Assert.True(corpus.Measurement.OtherAddressSuppressed.Count == 0, string.Join('\n', corpus.Measurement.OtherAddressSuppressed));
    }

    // Ratchets, so precision and recall cannot regress while item 4 moves them towards the issue's
    // targets (at most 1% wrong, at least 90% found): the figures of docs/benchmarks.md after the
    // decision table took sisimai's order and the stage, with the plain-text reader merged, and the
    // reporting systems' own tables (ReportingSystem, PowerMTA's category) and the receiving providers' codes read, and X.7.1 or RFC 5321's stock text with missing-recipient words at RCPT TO (0 wrong of 184
    // made, 184 of 202 found: 91.1%, the target met; the held-out corpus is measured, never ratcheted).
    // Lower the first and raise the second as the parser improves.
    private const int MaxWrongHardBounceSuppressions = 0;
    private const int MinReferenceHardBouncesSuppressed = 184;

    [Fact]
    public void Wrong_hard_bounce_suppressions_stay_at_or_below_the_last_measured_figure()
    {
        var measured = corpus.Measurement;
        Assert.True(measured.WrongHardBounceSuppressions <= MaxWrongHardBounceSuppressions,
            $"{measured.WrongHardBounceSuppressions} of {measured.HardBounceSuppressions} hard-bounce suppressions are wrong; at most {MaxWrongHardBounceSuppressions} were.");
        Assert.True(measured.WrongHardBounceSuppressions * 100 <= measured.HardBounceSuppressions,
            $"{measured.WrongHardBounceSuppressions} of {measured.HardBounceSuppressions} wrong is over the issue's 1%.");
    }

    [Fact]
    public void Reference_hard_bounces_found_stay_at_or_above_the_last_measured_figure()
    {
        var measured = corpus.Measurement;
        Assert.True(measured.ReferenceHardBouncesSuppressed >= MinReferenceHardBouncesSuppressed,
            $"{measured.ReferenceHardBouncesSuppressed} of {measured.ReferenceHardBounces} reference hard bounces suppressed; {MinReferenceHardBouncesSuppressed} were.");
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
