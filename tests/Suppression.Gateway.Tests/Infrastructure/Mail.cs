using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>Sends through the gateway with MailKit, as a marketing system would.</summary>
public static class Mail
{
    public static string UniqueAddress(string tag) => $"{tag}-{Guid.NewGuid():N}@example.com";

    public static MimeMessage Create(string from, IEnumerable<string> to, string subject = "Spring sale")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in to)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = subject;
        message.MessageId = $"{Guid.NewGuid():N}@sender.test";
        message.Body = new TextPart("plain") { Text = "Hello,\r\n.this line starts with a dot\r\nBye\r\n" };
        return message;
    }

    public static async Task<string> SendAsync(int port, MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        var response = await client.SendAsync(message);
        await client.DisconnectAsync(true);
        return response;
    }

    /// <summary>
    /// Sends the message until the gateway takes it (a 4xx or 5xx at any step is a try that
    /// failed) or the time is up: "mail flows again by itself" after an outage.
    /// </summary>
    public static Task<bool> EventuallyAcceptedAsync(int port, Func<MimeMessage> message, TimeSpan within) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                await SendAsync(port, message());
                return true;
            }
            catch (SmtpCommandException)
            {
                return false;
            }
        }, within);
}
