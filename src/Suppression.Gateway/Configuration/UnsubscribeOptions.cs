namespace Suppression.Gateway.Configuration;

/// <summary>The <c>Suppression:Unsubscribe</c> section: the public /u/{token} pages.</summary>
public sealed class UnsubscribeOptions
{
    /// <summary>GET and POST requests per client IP address per minute; more get 429.</summary>
    public int RequestsPerMinute { get; set; } = 30;
}
