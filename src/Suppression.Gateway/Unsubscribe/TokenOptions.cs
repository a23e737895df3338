using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>The <c>Suppression:Tokens</c> section: keys and lifetime of unsubscribe tokens.</summary>
public sealed class TokenOptions
{
    /// <summary>Key ring entries <c>&lt;id&gt;:&lt;base64 of 32 bytes&gt;</c>, oldest first; none means a generated key file.</summary>
    public string[]? Keys { get; set; }

    public TimeSpan Lifetime { get; set; } = UnsubscribeTokenCodec.DefaultLifetime;
}
