using System.Net;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tenants;

/// <summary>A configured tenant, ready to match clients against.</summary>
public sealed class Tenant
{
    private readonly RelayNetworks _networks;
    private readonly Dictionary<string, MessageClass?> _topics;

    public Tenant(TenantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Id = options.Id;
        DefaultClass = options.DefaultClass;
        AllowsTransactional = options.AllowTransactional;
        ReturnPathDomain = string.IsNullOrWhiteSpace(options.ReturnPathDomain) ? null : options.ReturnPathDomain.Trim().ToLowerInvariant();
        FeedbackId = string.IsNullOrEmpty(options.FeedbackId) ? null : options.FeedbackId;
        _topics = new Dictionary<string, MessageClass?>(StringComparer.Ordinal);
        foreach (var topic in options.Topics ?? [])
        {
            // Validation names a repeated id; here the first one counts, as a set of ids would.
            _topics.TryAdd(topic.Id, topic.ParsedClass);
        }

        _networks = new RelayNetworks(options.Networks ?? []);
    }

    public string Id { get; }

    public MessageClass DefaultClass { get; }

    /// <summary>Whether its mail may be transactional, and so pass marketing opt-outs.</summary>
    public bool AllowsTransactional { get; }

    /// <summary>Its own return-path domain, or null for the global one.</summary>
    public string? ReturnPathDomain { get; }

    /// <summary>The Feedback-ID its mail carries, or null to leave the client's as it is.</summary>
    public string? FeedbackId { get; }

    public bool IsInNetworks(IPAddress client) => _networks.Contains(client);

    /// <summary>Whether it declared its topics, so its marketing mail must name one of them.</summary>
    public bool HasDeclaredTopics => _topics.Count > 0;

    /// <summary>Whether its mail may name <paramref name="topic"/>: any topic, unless the tenant declared its topics.</summary>
    public bool MayName(string topic) => _topics.Count == 0 || _topics.ContainsKey(topic);

    /// <summary>The class of its mail on <paramref name="topic"/> that does not say: the topic's own, else the tenant's default.</summary>
    public MessageClass DefaultClassOf(string? topic) =>
        topic is not null && _topics.TryGetValue(topic, out var topicClass) && topicClass is { } declared ? declared : DefaultClass;
}
