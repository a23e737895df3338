using System.Net;

namespace Suppression.Smtp.Server;

/// <summary>
/// Counts open sessions per client, so that one client outside the relay networks cannot take
/// every one of <see cref="SmtpServerOptions.MaxSessions"/> and lock the marketing systems out (as
/// Postfix's <c>smtpd_client_connection_count_limit</c>). IPv6 clients are counted per /64: one host
/// usually holds the whole prefix and can pick a new address for every connection.
/// </summary>
public sealed class ClientSessionLimiter(int maxPerClient)
{
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>Takes a slot for the client; false when it already holds the most it may.</summary>
    public bool TryEnter(IPAddress client)
    {
        var key = KeyOf(client);
        lock (_open)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= maxPerClient)
            {
                return false;
            }

            _open[key] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit(IPAddress client)
    {
        var key = KeyOf(client);
        lock (_open)
        {
            var open = _open.GetValueOrDefault(key);
            if (open <= 1)
            {
                _open.Remove(key);
            }
            else
            {
                _open[key] = open - 1;
            }
        }
    }

    /// <summary>Sessions open for the client's address (or /64).</summary>
    public int OpenFor(IPAddress client)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(KeyOf(client));
        }
    }

    private static IPAddress KeyOf(IPAddress client) => ClientNetwork.Of(client);
}
