namespace Suppression.Smtp.Tests.Server;

internal static class SmtpTranscriptExtensions
{
    /// <summary>Sends one command and asserts the start of the reply's final line, e.g. "250 2.1.5".</summary>
    public static async Task<SmtpResponse> ExpectAsync(this SmtpTranscript smtp, string command, string reply)
    {
        var response = await smtp.CommandAsync(command);
        AssertReply(response, reply);
        return response;
    }

    public static async Task<SmtpResponse> ExpectReplyAsync(this SmtpTranscript smtp, string reply)
    {
        var response = await smtp.ReadReplyAsync();
        AssertReply(response, reply);
        return response;
    }

    /// <summary>Reads the greeting and sends EHLO.</summary>
    public static async Task<SmtpTranscript> GreetedAsync(this SmtpTranscript smtp)
    {
        await smtp.ExpectReplyAsync("220");
        await smtp.ExpectAsync("EHLO client.example", "250");
        return smtp;
    }

    /// <summary>Sends the message (already dot-stuffed, without the terminator) and the terminator; returns the final reply.</summary>
    public static async Task<SmtpResponse> SendMessageAsync(this SmtpTranscript smtp, string message)
    {
        await smtp.ExpectAsync("DATA", "354");
        await smtp.SendAsync(message + ".\r\n");
        return await smtp.ReadReplyAsync();
    }

    public static void AssertReply(SmtpResponse response, string reply) =>
        Assert.True(response.Last.StartsWith(reply + " ", StringComparison.Ordinal), $"expected {reply}, got: {response}");
}
