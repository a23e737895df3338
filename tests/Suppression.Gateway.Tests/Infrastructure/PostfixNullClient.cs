namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A private Postfix as operators deploy one in front of the gateway: a null client (no local
/// delivery; everything, its own bounces included, goes to <c>relayhost</c> = the gateway) that
/// applications hand mail to with sendmail. Created stopped, so a test can queue all its mail first.
/// Retries come within seconds rather than Postfix's minutes, so a deferral costs the test little,
/// and deliveries start at the default concurrency limit (20 connections to one destination)
/// rather than ramping up to it, as on a busy queue.
/// </summary>
public static class PostfixNullClient
{
    public const string Hostname = "nullclient.test";

    /// <param name="login">When set, a user name and password to log in to the gateway with, over STARTTLS that must succeed.</param>
    public static async Task<PrivatePostfix> CreateAsync(int gatewayPort, (string Username, string Password)? login = null)
    {
        var settings = $"""
            myhostname = {Hostname}
            myorigin = $myhostname
            mydestination =
            local_transport = error:5.1.1 local delivery is disabled
            inet_interfaces = loopback-only
            mynetworks = 127.0.0.0/8
            relayhost = [127.0.0.1]:{gatewayPort}
            queue_run_delay = 1s
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            initial_destination_concurrency = 20
            """;
        var files = new Dictionary<string, string>();
        if (login is var (username, password))
        {
            // PLAIN and LOGIN over TLS need Cyrus SASL's modules (Debian: libsasl2-modules); the
            // default smtp_sasl_security_options forbid plaintext mechanisms even inside TLS.
            files["sasl_passwd"] = $"[127.0.0.1]:{gatewayPort} {username}:{password}\n";
            settings += $"""

                smtp_tls_security_level = encrypt
                smtp_sasl_auth_enable = yes
                smtp_sasl_password_maps = texthash:$config_directory/sasl_passwd
                smtp_sasl_tls_security_options = noanonymous
                """;
        }

        return await PrivatePostfix.CreateAsync("null-client", settings, listen: false, files);
    }
}
