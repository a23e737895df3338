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
/// Kestrel creates the handler while configuring endpoints, before the store has started, so it is
/// given the session services as a task that completes once the store is ready (SmtpGatewayRegistration).
/// </summary>
public sealed class SmtpConnectionHandler(Task<SmtpServerServices> sessionServices, IHostApplicationLifetime lifetime, ILogger<SmtpConnectionHandler> logger)
    : ConnectionHandler
{
    private int _openSessions;
    private int _strangerSessions;

    public int OpenSessions => Volatile.Read(ref _openSessions);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var services = await sessionServices;
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        var stranger = !services.IsKnownSender(client);
        var perClient = stranger ? services.ClientSessions : null;
        var countedAsStranger = false;
        try
        {
            if (Interlocked.Increment(ref _openSessions) > services.Options.MaxSessions)
            {
                // No per-client slot was taken, so none is given back: giving one back would free
                // another session's slot from this address.
                perClient = null;
                await RefuseAsync(connection, SmtpReplies.TooManyConnections(services.Options.Hostname), "total");
                return;
            }

            // Strangers together hold at most their share, so the relay networks and tenants always
            // find sessions free however many addresses the strangers come from.
            countedAsStranger = stranger;
            if (stranger && Interlocked.Increment(ref _strangerSessions) > services.Options.EffectiveMaxStrangerSessions)
            {
                perClient = null;
                await RefuseAsync(connection, SmtpReplies.TooManyConnections(services.Options.Hostname), "strangers");
                return;
            }

            if (perClient is not null && !perClient.TryEnter(client))
            {
                perClient = null;
                await RefuseAsync(connection, SmtpReplies.TooManyConnectionsFromClient(services.Options.Hostname), "per-client");
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
                // A bug in one session must not take the listener down; the session has told the client 421.
                logger.SessionFailed(client, exception);
            }
            finally
            {
                SmtpTelemetry.SessionClosed();
            }
        }
        finally
        {
            perClient?.Exit(client);
            if (countedAsStranger)
            {
                Interlocked.Decrement(ref _strangerSessions);
            }

            Interlocked.Decrement(ref _openSessions);
        }
    }

    // RFC 5321 3.1: a server that will not serve the client answers 421 at connect and closes.
    private static async Task RefuseAsync(ConnectionContext connection, SmtpReply reply, string limit)
    {
        try
        {
            reply.WriteTo(connection.Transport.Output);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The client left first.
        }

        SmtpTelemetry.SessionRejected(limit);
    }
}
