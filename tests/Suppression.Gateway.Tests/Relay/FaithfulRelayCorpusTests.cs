using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Relay.Faithful;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 18 item 4, the guard of "the client's bytes plus what the gateway adds" (README, "What the
/// gateway does with a message"): 371 real-world messages from public mail-parser test suites
/// (tests/corpus/messages) relayed as marketing mail to two recipients through the real gateway,
/// with List-Unsubscribe stamping and DKIM signing on, to a sink that records the exact bytes. Each
/// test reads the one run; its findings, file by file, are in faithful-relay/report.txt beside the
/// test assembly (or $FAITHFUL_REPORT_DIR), with every copy under copies/.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class FaithfulRelayCorpusTests(FaithfulRelayFixture run) : IClassFixture<FaithfulRelayFixture>
{
    [Fact]
    public void The_corpus_has_at_least_300_messages_each_with_its_provenance()
    {
        var manifest = File.ReadAllLines(Path.Combine(CorpusMessage.Directory, "manifest.csv")).Skip(1).Select(line => line.Split(',')[0]).ToHashSet();
        Assert.True(run.Corpus.Count >= 300, $"{run.Corpus.Count} messages");
        Assert.All(run.Corpus, message => Assert.Contains(message.File, manifest));
    }

    [Fact]
    public void A_message_that_cannot_be_sent_as_it_is_gets_554_naming_its_fault_and_every_other_is_relayed_to_each_recipient()
    {
        Assert.True(run.Report.UnexpectedOutcomes.Count == 0, Findings(run.Report.UnexpectedOutcomes));
    }

    [Fact]
    public void Each_copy_has_the_clients_header_fields_byte_for_byte_and_in_order_plus_only_the_documented_fields()
    {
        Assert.True(run.Report.HeaderChanges.Count == 0, Findings(run.Report.HeaderChanges));
    }

    [Fact]
    public void Each_copy_has_the_clients_body_byte_for_byte()
    {
        Assert.True(run.Report.BodyChanges.Count == 0, Findings(run.Report.BodyChanges));
    }

    [Fact]
    public void Body_8bitmime_and_smtputf8_from_the_client_are_passed_on_upstream()
    {
        Assert.True(run.Report.Body8BitMissing.Count + run.Report.SmtpUtf8Missing.Count == 0, Findings([.. run.Report.Body8BitMissing, .. run.Report.SmtpUtf8Missing]));
    }

    [DkimVerifiersFact]
    public void Every_copy_the_gateway_signs_verifies_with_python3_dkim()
    {
        Assert.True(run.Report.DkimpyFailures.Count == 0, Findings(run.Report.DkimpyFailures));
    }

    [DkimVerifiersFact]
    public void Every_copy_the_gateway_signs_verifies_with_perls_mail_dkim()
    {
        Assert.True(run.Report.MailDkimFailures.Count == 0, Findings(run.Report.MailDkimFailures));
    }

    private string Findings(IReadOnlyList<string> findings) =>
        $"{findings.Count} finding(s); all of them in {Path.Combine(run.ReportDirectory, "report.txt")}:\n" + string.Join('\n', findings.Take(40))
        + (findings.Count > 40 ? $"\n... and {findings.Count - 40} more" : string.Empty);
}
