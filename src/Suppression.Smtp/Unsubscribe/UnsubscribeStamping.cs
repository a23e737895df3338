using MimeKit;
using Suppression.Addresses;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Unsubscribe;

/// <summary>
/// Mints a recipient's own unsubscribe token and stamps it on their copy: the token is
/// authenticated-encrypted, so the link names nobody in clear and cannot be turned into anyone else's.
/// </summary>
public sealed class UnsubscribeStamping(UnsubscribeTokenCodec codec, ListUnsubscribeStamper stamper)
{
    /// <param name="tenant">The sending tenant, or null: the link then stops marketing mail relayed for nobody in particular.</param>
    /// <param name="topic">The list, or null: the link then stops all of the tenant's marketing mail.</param>
    public void Stamp(MimeMessage message, NormalizedAddress recipient, string? tenant, string? topic, DateTimeOffset now) =>
        stamper.Stamp(message, codec.Encode(new UnsubscribeToken(recipient, tenant, topic, now)));
}
