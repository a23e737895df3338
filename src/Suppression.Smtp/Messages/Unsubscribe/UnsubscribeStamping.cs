using MimeKit;
using Suppression.Addresses;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Messages.Unsubscribe;

/// <summary>
/// Mints a recipient's own unsubscribe token and stamps it on their copy: the token is
/// authenticated-encrypted, so the link names nobody in clear and cannot be turned into anyone else's.
/// </summary>
public sealed class UnsubscribeStamping(UnsubscribeTokenCodec codec, ListUnsubscribeStamper stamper)
{
    // Tenant and topic stay empty until messages carry them (issue 4): such a token stops untenanted marketing mail.
    public void Stamp(MimeMessage message, NormalizedAddress recipient, DateTimeOffset now) =>
        stamper.Stamp(message, codec.Encode(new UnsubscribeToken(recipient, tenant: null, topic: null, now)));
}
