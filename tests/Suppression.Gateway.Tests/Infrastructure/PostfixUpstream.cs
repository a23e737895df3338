namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A private Postfix as the gateway's upstream, with Postfix's default address rewriting (percent
/// hack, bang paths, dequoting) and <c>mydestination = localhost</c>. It relays every non-local
/// recipient to <c>relayPort</c> on loopback; the gateway relays to its <see cref="PrivatePostfix.Port"/>.
/// </summary>
public static class PostfixUpstream
{
    public static async Task<PrivatePostfix> StartAsync(int relayPort)
    {
        var postfix = await PrivatePostfix.CreateAsync("upstream", $"""
            myhostname = upstream.test
            mydomain = upstream.test
            mydestination = localhost, $myhostname
            inet_interfaces = 127.0.0.1
            mynetworks = 127.0.0.0/8
            smtpd_recipient_restrictions = permit_mynetworks, reject
            relayhost = [127.0.0.1]:{relayPort}
            """, listen: true);
        await postfix.StartAsync();
        return postfix;
    }
}
