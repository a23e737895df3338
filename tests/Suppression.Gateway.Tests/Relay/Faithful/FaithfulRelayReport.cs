using System.Globalization;
using System.Text;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// The figures and the per-file findings of one run: report.txt for people (every file that changed,
/// where and how), summary.txt as key=value lines for bench/faithful/run.sh.
/// </summary>
public sealed class FaithfulRelayReport
{
    private readonly IReadOnlyList<MessageRun> _runs;
    private readonly IReadOnlyDictionary<string, (string Result, string Detail)>? _dkimpy;
    private readonly IReadOnlyDictionary<string, (string Result, string Detail)>? _mailDkim;

    public FaithfulRelayReport(
        IReadOnlyList<MessageRun> runs,
        IReadOnlyDictionary<string, (string Result, string Detail)>? dkimpy,
        IReadOnlyDictionary<string, (string Result, string Detail)>? mailDkim)
    {
        _runs = runs;
        _dkimpy = dkimpy;
        _mailDkim = mailDkim;
        UnexpectedOutcomes = runs.Where(run => !run.RefusedAsDocumented && !run.RelayedAsExpected)
            .Select(run => $"{run.Message.File}: expected {(run.Message.RefusalReasons.Count > 0 ? string.Join(" or ", run.Message.RefusalReasons) : "250 and " + FaithfulRelayFixture.Recipients + " copies")}, got \"{run.Reply}\" and {run.Copies.Count} copies")
            .ToList();
        HeaderChanges = Findings(difference => difference.IsHeader);
        BodyChanges = Findings(difference => !difference.IsHeader);
        Body8BitMissing = ExtensionFindings(message => message.Has8Bit, "BODY=8BITMIME");
        SmtpUtf8Missing = ExtensionFindings(message => message.NeedsSmtpUtf8, "SMTPUTF8");
        DkimpyFailures = DkimFindings(dkimpy);
        DkimpyUnreadable = dkimpy is null ? [] : [.. dkimpy.Where(result => result.Value.Result == "unreadable").Select(result => $"{result.Key}: {result.Value.Detail}").Order(StringComparer.Ordinal)];
        MailDkimFailures = DkimFindings(mailDkim);
    }

    public IReadOnlyList<string> UnexpectedOutcomes { get; }

    public IReadOnlyList<string> HeaderChanges { get; }

    public IReadOnlyList<string> BodyChanges { get; }

    public IReadOnlyList<string> Body8BitMissing { get; }

    public IReadOnlyList<string> SmtpUtf8Missing { get; }

    public IReadOnlyList<string> DkimpyFailures { get; }

    public IReadOnlyList<string> MailDkimFailures { get; }

    /// <summary>Copies dkimpy cannot read at all: the client's header block has a line that is not a field. Not a failure of the signature.</summary>
    public IReadOnlyList<string> DkimpyUnreadable { get; }

    public IEnumerable<(string Key, int Value)> Summary()
    {
        var copies = _runs.SelectMany(run => run.Copies.Select((copy, i) => (run, copy, Differences: run.Differences[i]))).ToList();
        yield return ("messages", _runs.Count);
        yield return ("expected_relayed", _runs.Count(run => run.Message.RefusalReasons.Count == 0));
        yield return ("expected_refused", _runs.Count(run => run.Message.RefusalReasons.Count > 0));
        yield return ("relayed", _runs.Count(run => run.Copies.Count > 0));
        yield return ("refused_as_documented", _runs.Count(run => run.RefusedAsDocumented));
        yield return ("unexpected_outcomes", UnexpectedOutcomes.Count);
        yield return ("copies", copies.Count);
        yield return ("copies_changed_header_block", copies.Count(copy => copy.Differences.Any(difference => difference.IsHeader)));
        yield return ("messages_changed_header_block", _runs.Count(run => run.Differences.Any(copy => copy.Any(difference => difference.IsHeader))));
        yield return ("copies_changed_body", copies.Count(copy => copy.Differences.Any(difference => !difference.IsHeader)));
        yield return ("messages_changed_body", _runs.Count(run => run.Differences.Any(copy => copy.Any(difference => !difference.IsHeader))));
        foreach (var kind in new[] { CopyDifference.FieldLost, CopyDifference.MboxFromLineLost, CopyDifference.FieldChanged, CopyDifference.FieldMoved, CopyDifference.FieldAdded, CopyDifference.GatewayFieldMissing, CopyDifference.Separator, CopyDifference.Body })
        {
            yield return ("messages_with:" + kind, _runs.Count(run => run.Differences.Any(copy => copy.Any(difference => difference.Kind == kind))));
        }

        yield return ("body8bitmime_needed", copies.Count(copy => copy.run.Message.Has8Bit));
        yield return ("body8bitmime_passed_on", copies.Count(copy => copy.run.Message.Has8Bit && HasParameter(copy.copy.MailParameters, "BODY=8BITMIME")));
        yield return ("smtputf8_needed", copies.Count(copy => copy.run.Message.NeedsSmtpUtf8));
        yield return ("smtputf8_passed_on", copies.Count(copy => copy.run.Message.NeedsSmtpUtf8 && HasParameter(copy.copy.MailParameters, "SMTPUTF8")));
        yield return ("copies_to_sign", copies.Count(copy => copy.run.Message.SigningDomain is not null));
        yield return ("dkim_failures_dkimpy", _dkimpy is null ? -1 : DkimpyFailures.Count);
        yield return ("dkim_failures_mail_dkim", _mailDkim is null ? -1 : MailDkimFailures.Count);
        yield return ("dkim_unreadable_dkimpy", _dkimpy is null ? -1 : DkimpyUnreadable.Count);
    }

    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        var summary = string.Join('\n', Summary().Select(item => string.Create(CultureInfo.InvariantCulture, $"{item.Key}={item.Value}"))) + "\n";
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.txt"), summary, cancellationToken);

        var text = new StringBuilder();
        text.Append("Faithful relay of tests/corpus/messages (issue 18)\n\n").Append(summary);
        Section(text, "Outcome other than the documented one", UnexpectedOutcomes);
        Section(text, "Header blocks that differ from the client's plus the documented fields", HeaderChanges);
        Section(text, "Bodies (and the empty line before them) that differ from the client's", BodyChanges);
        Section(text, "8-bit messages sent with BODY=8BITMIME whose copies went upstream without it", Body8BitMissing);
        Section(text, "Messages with UTF-8 header fields sent with SMTPUTF8 whose copies went upstream without it", SmtpUtf8Missing);
        Section(text, _dkimpy is null ? "python3-dkim: not run" : "Copies whose gateway signature python3-dkim does not verify", DkimpyFailures);
        Section(text, "Copies python3-dkim cannot parse (a header line that is not a field; checked by Mail::DKIM only)", DkimpyUnreadable);
        Section(text, _mailDkim is null ? "Mail::DKIM: not run" : "Copies whose gateway signature Mail::DKIM does not verify", MailDkimFailures);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.txt"), text.ToString(), cancellationToken);
    }

    private List<string> Findings(Func<CopyDifference, bool> which) =>
        _runs.SelectMany(run => run.Differences.SelectMany((differences, copy) => differences.Where(which)
            .Select(difference => $"{MessageRun.CopyName(run.Message, copy)} [{Properties(run.Message)}] {difference.Kind}: {difference.Detail}")))
            .ToList();

    private List<string> ExtensionFindings(Func<CorpusMessage, bool> needs, string parameter) =>
        _runs.Where(run => needs(run.Message))
            .SelectMany(run => run.Copies.Select((copy, i) => (run, copy, i)))
            .Where(item => !HasParameter(item.copy.MailParameters, parameter))
            .Select(item => $"{MessageRun.CopyName(item.run.Message, item.i)}: client sent \"{item.run.MailParameters}\", upstream got \"{item.copy.MailParameters}\"")
            .ToList();

    // A copy the gateway should have signed must carry a signature that verifies; a copy it does not
    // sign must not carry a broken one either.
    private List<string> DkimFindings(IReadOnlyDictionary<string, (string Result, string Detail)>? results) =>
        results is null
            ? []
            : _runs.SelectMany(run => run.Copies.Select((_, i) => (run, Name: MessageRun.CopyName(run.Message, i))))
                .Select(item => (item.run, item.Name, Verdict: results.TryGetValue(item.Name, out var verdict) ? verdict : ("missing", "the verifier did not report this file")))
                .Where(item => item.Verdict.Item1 is not ("pass" or "none" or "unreadable") || (item.Verdict.Item1 == "none" && item.run.Message.SigningDomain is not null))
                .Select(item => $"{item.Name} (From domain {item.run.Message.SigningDomain ?? "not signable"}): {item.Verdict.Item1} {item.Verdict.Item2}")
                .ToList();

    private static bool HasParameter(string parameters, string parameter) =>
        parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(parameter, StringComparer.OrdinalIgnoreCase);

    private static string Properties(CorpusMessage message) =>
        string.Join(',', new[]
        {
            message.Has8Bit ? "8bit" : null,
            message.NeedsSmtpUtf8 ? "utf8-headers" : null,
            message.HasMboxFromLine ? "mbox-From" : null,
            message.HasNul ? "NUL" : null,
            message.Stored.AsSpan().IndexOf("\r\n"u8) < 0 ? "LF" : "CRLF",
        }.OfType<string>());

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> lines)
    {
        text.Append('\n').Append(title).Append(CultureInfo.InvariantCulture, $" ({lines.Count})\n");
        foreach (var line in lines)
        {
            text.Append("  ").Append(line).Append('\n');
        }
    }
}
