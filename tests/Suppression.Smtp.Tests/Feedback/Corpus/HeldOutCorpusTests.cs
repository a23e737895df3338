using Xunit.Abstractions;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// The gateway's feedback reading on the held-out corpus (tests/corpus/feedback-heldout): real-world
/// bounces and complaints from other bounce parsers' test data, never used to tune the classifier,
/// with the same reference (sisimai) as CorpusTests. Its figures say how the reading generalizes, so
/// they are reported and never ratcheted: asserted is only what must hold on any mail, that every
/// sample is read without an exception, none is refused at DATA, and no address the reference does
/// not name is ever suppressed. bench/feedback/run.sh --heldout prints the figures.
/// </summary>
public sealed class HeldOutCorpusTests(HeldOutCorpusTests.MeasuredCorpus corpus, ITestOutputHelper output) : IClassFixture<HeldOutCorpusTests.MeasuredCorpus>
{
    public sealed class MeasuredCorpus
    {
        public static string Directory => CorpusSample.DirectoryOf(CorpusSample.HeldOut);

        public IReadOnlyList<CorpusSample> Manifest { get; } = CorpusSample.ReadManifest(Directory);

        // Reading every sample is the "never throws" check: any exception fails every test here.
        public CorpusMeasurement Measurement { get; } = CorpusMeasurement.Run(Directory, "Held-out feedback corpus");
    }

    [Fact]
    public void Every_sample_is_there_with_a_reference_verdict_and_is_read_without_an_exception()
    {
        var files = corpus.Manifest.Select(row => row.File).Distinct().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(File.Exists(Path.Combine(MeasuredCorpus.Directory, file)), file));
        Assert.All(corpus.Manifest, row => Assert.Contains(row.ExpectedVerdict, CorpusMeasurement.ExpectedVerdicts));
        Assert.All(corpus.Manifest, row => Assert.Contains('@', row.ReferenceRecipient));
        Assert.Equal(files.Count, corpus.Measurement.Samples);
        Assert.Equal(corpus.Manifest.Count, corpus.Measurement.ReferenceRecipients);
    }

    [Fact]
    public void No_sample_is_refused_at_DATA()
    {
        Assert.True(corpus.Measurement.Refused.Count == 0, string.Join('\n', corpus.Measurement.Refused));
    }

    [Fact]
    public void No_sample_makes_the_gateway_suppress_an_address_the_reference_does_not_name()
    {
        Assert.True(corpus.Measurement.OtherAddressSuppressed.Count == 0, string.Join('\n', corpus.Measurement.OtherAddressSuppressed));
    }

    // bench/feedback/run.sh --heldout runs this test and prints the file it writes. No ratchet: a
    // held-out figure that is made to hold stops being held out.
    [Fact]
    public void Held_out_figures_are_reported()
    {
        var text = corpus.Measurement.ToText();
        output.WriteLine(text);
        if (Environment.GetEnvironmentVariable("FEEDBACK_HELDOUT_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, text);
        }

        Assert.Equal(corpus.Measurement.ReferenceHardBounces, corpus.Manifest.Count(row => row.ExpectedVerdict == "hard"));
    }
}
