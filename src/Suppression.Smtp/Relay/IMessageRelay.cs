using MimeKit;

namespace Suppression.Smtp.Relay;

/// <summary>Hands a message on. Returns only once the next hop has taken it or refused it.</summary>
public interface IMessageRelay
{
    Task<RelayResult> RelayAsync(RelayEnvelope envelope, MimeMessage message, CancellationToken cancellationToken);

    /// <summary>Whether the next hop can be reached right now (for /readyz).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
