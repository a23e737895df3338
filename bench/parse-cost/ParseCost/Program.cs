using System.Diagnostics;
using System.Globalization;
using System.Text;
using MimeKit;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.LocalMailboxes;

// What a stranger's message costs the gateway's own code: the X-Suppression-* removal and the
// complaint report's recipient de-duplication over many header fields, and MimeKit's parse of one
// long folded header field (quadratic in MimeKit 4.18.2, its issue #919). Median of --runs.
var fields = ArgumentOr("--fields", 60_000);
var foldedBytes = ArgumentOr("--folded-bytes", 1_048_576);
var runs = ArgumentOr("--runs", 5);

Report($"X-Suppression-* removal, {fields:N0} fields", () =>
{
    var message = Load(Headers(fields, i => $"X-Suppression-Note-{i}: {i}") + "From: a@example.com\r\n\r\nbody\r\n");
    return Time(() => MessageClassifier.RemoveInstructions(message));
});

Report($"complaint recipients, {fields:N0} Original-Rcpt-To fields", () =>
{
    var message = Load(ComplaintReport(fields));
    return Time(() => FeedbackReportParser.Parse(message));
});

Report($"MimeKit header parse, one field folded to {foldedBytes:N0} bytes", () =>
{
    var bytes = Encoding.ASCII.GetBytes("Subject: x" + string.Concat(Enumerable.Repeat("\r\n x", foldedBytes / 4)) + "\r\nFrom: a@example.com\r\n\r\nbody\r\n");
    return Time(() => MimeMessage.Load(new MemoryStream(bytes)));
});

void Report(string name, Func<TimeSpan> run)
{
    var times = Enumerable.Range(0, runs).Select(_ => run().TotalMilliseconds).Order().ToList();
    Console.WriteLine(FormattableString.Invariant($"{name}: median {times[times.Count / 2]:N0} ms (runs: {string.Join(", ", times.Select(t => t.ToString("N0", CultureInfo.InvariantCulture)))})"));
}

static TimeSpan Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed;
}

static MimeMessage Load(string text) => MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)));

static string Headers(int count, Func<int, string> field)
{
    var builder = new StringBuilder();
    for (var i = 0; i < count; i++)
    {
        builder.Append(field(i)).Append("\r\n");
    }

    return builder.ToString();
}

static string ComplaintReport(int recipients) =>
    "From: fbl@provider.example\r\nTo: fbl@gateway.example\r\nMIME-Version: 1.0\r\n"
    + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n\r\n"
    + "--b\r\nContent-Type: text/plain\r\n\r\nA complaint.\r\n"
    + "--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\n"
    + Headers(recipients, i => $"Original-Rcpt-To: user{i}@example.org")
    + "\r\n--b--\r\n";

int ArgumentOr(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
