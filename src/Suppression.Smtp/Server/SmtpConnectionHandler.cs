using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Telemetry;

namespace Suppression.Smtp.Server;

/// <summary>
/// Kestrel hands each accepted SMTP connection here (ListenOptions.UseConnectionHandler), which gives
/// sockets, back-pressure and graceful shutdown. The session limit is ours: Kestrel's own limit would
/// close the socket silently, while RFC 5321 3.1 wants a 421 so the client backs off.
/// Kestrel creates the handler while configuring endpoints, before the store is started, so the
/// session services are resolved at the first connection.
/// </summary>
public sealed class SmtpConnectionHandler(Lazy<SmtpServerServices> lazyServices, IHostApplicationLifetime lifetime, ILogger<SmtpConnectionHandler> logger)
    : ConnectionHandler
{
    private int _openSessions;

    public int OpenSessions => Volatile.Read(ref _openSessions);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var services = lazyServices.Value;
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (Interlocked.Increment(ref _openSessions) > services.Options.MaxSessions)
        {
            try
            {
                new SmtpReply(421, "4.7.0", services.Options.Hostname + " Too many connections, try again later").WriteTo(connection.Transport.Output);
                await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or ConnectionResetException)
            {
                // The client left first.
            }
            finally
            {
                Interlocked.Decrement(ref _openSessions);
            }

            SmtpTelemetry.SessionRejected();
            return;
        }

        SmtpTelemetry.SessionOpened();
        try
        {
            await using var session = new SmtpSession(services, connection.Transport, connection.Abort, client, connection.ConnectionClosed, lifetime.ApplicationStopping);
            await session.RunAsync();
        }
        catch (Exception exception)
        {
            // A bug in one session must not take the listener down; the client sees the connection close.
            logger.LogError(exception, "SMTP session with {Client} failed", client);
        }
        finally
        {
            Interlocked.Decrement(ref _openSessions);
            SmtpTelemetry.SessionClosed();
        }
    }
}
