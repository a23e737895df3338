using Suppression.Addresses;
using Suppression.ReturnPath;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The envelope sender of one relayed copy when a return-path domain applies (the tenant's, else the
/// global one): a tag at that domain naming the copy, so a bounce for it comes back to the gateway and
/// can affect that recipient only (VERP).
/// </summary>
public sealed class ReturnPathSigner(ReturnPathTagCodec codec, AddressVariantRules addressRules, string? globalDomain, TenantDirectory tenants)
{
    /// <summary>The tagged sender for this copy, or null when no return-path domain applies and the client's sender stands.</summary>
    public string? SenderFor(NormalizedAddress recipient, MessageContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var domain = context.Tenant is { } id && tenants.TryGet(id, out var tenant) && tenant.ReturnPathDomain is { } own
            ? own
            : globalDomain;
        if (string.IsNullOrEmpty(domain))
        {
            return null;
        }

        var tag = codec.Encode(addressRules.MatchKeyOf(recipient), context.Tenant, context.Topic, context.Class, now);
        return tag + "@" + domain;
    }
}
