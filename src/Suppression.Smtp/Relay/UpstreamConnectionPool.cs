using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Suppression.Smtp.Relay;

/// <summary>
/// Connected, greeted (and authenticated) SMTP clients to the upstream, reused across messages:
/// connect + EHLO (+ STARTTLS + AUTH) per message would cap throughput at the handshake rate.
/// A client that saw any failure is closed, not returned, so a pooled client is always between
/// transactions.
/// </summary>
/// <param name="time">The clock idle connections age by.</param>
/// <param name="createClient">Makes an unconnected client; by default MailKit's, told to relay copies verbatim (tests pass scripted ones).</param>
internal sealed class UpstreamConnectionPool(UpstreamOptions options, string localDomain, TimeProvider time, Func<ISmtpClient>? createClient = null) : IAsyncDisposable
{
    private readonly ConcurrentQueue<(ISmtpClient Client, long IdleSince)> _idle = new();
    private readonly Func<ISmtpClient> _createClient = createClient ?? (() => new VerbatimSmtpClient());

    public async ValueTask<ISmtpClient> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryDequeue(out var pooled))
        {
            if (pooled.Client.IsConnected && time.GetElapsedTime(pooled.IdleSince) < options.IdleTimeout)
            {
                return pooled.Client;
            }

            await CloseAsync(pooled.Client);
        }

        var client = _createClient();
        client.Timeout = (int)options.Timeout.TotalMilliseconds;
        client.LocalDomain = localDomain;
        if (!options.ValidateCertificate)
        {
            // The operator's explicit choice (Suppression:Upstream:ValidateCertificate=false), for an
            // upstream on a private network with a self-signed certificate.
#pragma warning disable CA5359
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        try
        {
            var security = options.Tls switch
            {
                UpstreamTls.None => SecureSocketOptions.None,
                UpstreamTls.Required => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("No upstream host configured"), options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? string.Empty, cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Return(ISmtpClient client, bool reusable)
    {
        if (reusable && client.IsConnected && _idle.Count < options.MaxIdleConnections)
        {
            _idle.Enqueue((client, time.GetTimestamp()));
            return;
        }

        _ = CloseAsync(client);
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryDequeue(out var pooled))
        {
            await CloseAsync(pooled.Client);
        }
    }

    private async Task CloseAsync(ISmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
                await client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or MailKit.ServiceNotConnectedException
            or SmtpCommandException or SmtpProtocolException or System.Net.Sockets.SocketException)
        {
            // The connection is being thrown away; how it ends does not matter.
        }
        finally
        {
            client.Dispose();
        }
    }
}
