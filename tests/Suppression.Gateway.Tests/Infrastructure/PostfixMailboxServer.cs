namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A private Postfix as a recipient's mail server: the final destination for <see cref="Domain"/>,
/// which knows its mailboxes (<c>local_recipient_maps</c>) and, as stock Postfix does, refuses any
/// other address there at RCPT: "550 5.1.1 &lt;...&gt;: Recipient address rejected: User unknown in
/// local recipient table". What it accepts it discards, as delivered.
/// </summary>
public static class PostfixMailboxServer
{
    public const string Domain = "mailboxes.test";

    public static async Task<PrivatePostfix> StartAsync(IEnumerable<string> mailboxes)
    {
        var postfix = await PrivatePostfix.CreateAsync(
            "mailboxes",
            $"""
            myhostname = mx.{Domain}
            mydomain = {Domain}
            mydestination = {Domain}
            inet_interfaces = 127.0.0.1
            mynetworks = 127.0.0.0/8
            local_recipient_maps = texthash:$config_directory/mailboxes
            local_transport = discard:
            """,
            listen: true,
            new Dictionary<string, string> { ["mailboxes"] = string.Concat(mailboxes.Select(mailbox => mailbox + " exists\n")) });
        await postfix.StartAsync();
        return postfix;
    }
}
