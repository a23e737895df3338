namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A private Postfix as the gateway's upstream that takes every message from loopback and then
/// delivers it on its own, by its transport table: each domain to an SMTP server on a loopback port,
/// standing in for that domain's MX. Its bounces (DSNs, RFC 3464) go to the copy's MAIL FROM the
/// same way, so the return-path domain routed to the gateway brings them back to it. Created
/// stopped, since the gateway's port is known only once the gateway runs on this one's.
/// </summary>
public static class PostfixSmartHost
{
    public const string Hostname = "upstream.test";

    private const string Routes = "transport";

    public static async Task<PrivatePostfix> CreateAsync() =>
        await PrivatePostfix.CreateAsync(
            "smart-host",
            $"""
            myhostname = {Hostname}
            mydestination =
            inet_interfaces = 127.0.0.1
            mynetworks = 127.0.0.0/8
            smtpd_recipient_restrictions = permit_mynetworks, reject
            transport_maps = texthash:$config_directory/{Routes}
            default_transport = error:5.4.4 no route to this domain in the test
            local_transport = error:5.1.1 local delivery is disabled
            queue_run_delay = 1s
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            """,
            listen: true,
            new Dictionary<string, string> { [Routes] = string.Empty });

    /// <summary>Routes each domain to the SMTP server on its loopback port, then starts it.</summary>
    public static async Task StartAsync(PrivatePostfix postfix, IReadOnlyDictionary<string, int> routes)
    {
        ArgumentNullException.ThrowIfNull(postfix);
        await File.WriteAllTextAsync(
            Path.Combine(postfix.ConfigDirectory, Routes),
            string.Concat(routes.Select(route => $"{route.Key} smtp:[127.0.0.1]:{route.Value}\n")));
        await postfix.StartAsync();
    }
}
