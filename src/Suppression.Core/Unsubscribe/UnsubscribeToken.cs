using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Unsubscribe;

/// <summary>
/// What an unsubscribe link names: whose opt-out it is, for which sender (tenant) and list (topic),
/// and when it was issued. Issued-at is kept to whole seconds, as the encoded form carries it;
/// an empty tenant or topic means none.
/// </summary>
public sealed record UnsubscribeToken
{
    private readonly DateTimeOffset _issuedAt;
    private readonly string? _tenant;
    private readonly string? _topic;

    public UnsubscribeToken(NormalizedAddress recipient, string? tenant, string? topic, DateTimeOffset issuedAt)
    {
        Recipient = recipient;
        Tenant = tenant;
        Topic = topic;
        IssuedAt = issuedAt;
    }

    public NormalizedAddress Recipient { get; init; }

    public string? Tenant
    {
        get => _tenant;
        init => _tenant = string.IsNullOrEmpty(value) ? null : value;
    }

    public string? Topic
    {
        get => _topic;
        init => _topic = string.IsNullOrEmpty(value) ? null : value;
    }

    public DateTimeOffset IssuedAt
    {
        get => _issuedAt;
        init => _issuedAt = value.ToWholeSeconds();
    }
}
