using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Tests.Relay;

public sealed class PickupDirectoryRelayTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pickup-" + Guid.NewGuid().ToString("N"));

    // One message to 120 recipients is 120 copies written within a few milliseconds; two of them
    // once got one file name, and the second copy was deferred while the first lost its temporary file.
    [Fact]
    public async Task Copies_of_one_message_written_at_once_each_get_a_file_of_their_own()
    {
        var relay = new PickupDirectoryRelay(_directory, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 30, 15, 250, TimeSpan.Zero)));
        var recipients = Enumerable.Range(1, 120).Select(i => $"r{i}@example.net").ToList();

        var results = await Task.WhenAll(recipients.Select(recipient => Task.Run(() =>
            relay.RelayAsync(new RelayEnvelope("news@example.com", [recipient], "tx1"), Message(), CancellationToken.None))));

        Assert.All(results, result => Assert.Equal(RelayOutcome.Accepted, result.Outcome));
        var files = Directory.GetFiles(_directory);
        Assert.Equal(120, files.Length);
        Assert.All(files, file => Assert.EndsWith(".eml", file, StringComparison.Ordinal));
        Assert.All(files, file => Assert.StartsWith("20261207093015250-tx1-", Path.GetFileName(file), StringComparison.Ordinal));
        var written = files.Select(file => File.ReadLines(file).Skip(1).First()).Order().ToList();
        Assert.Equal(recipients.Select(recipient => $"X-Receiver: <{recipient}>").Order(), written);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("news@example.com"));
        message.Subject = "Sale";
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }
}
