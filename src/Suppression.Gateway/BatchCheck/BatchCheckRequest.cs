using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Suppression.Gateway.BatchCheck;

/// <summary>The JSON form of a batch check; the context members may instead be given as query parameters.</summary>
public sealed record BatchCheckRequest(
    [property: Description("The tenant the mail is sent for (as X-Suppression-Tenant); none: relay mail naming no tenant, or a tenant key's own.")] string? Tenant = null,
    [property: Description("The topic (as X-Suppression-Topic), if the mail is one of the tenant's lists.")] string? Topic = null,
    [property: Description("marketing or transactional; none: the tenant's default class.")] string? Class = null,
    [property: Required, Description("Up to 10,000 addresses, answered in this order.")] IReadOnlyList<string?>? Addresses = null);
