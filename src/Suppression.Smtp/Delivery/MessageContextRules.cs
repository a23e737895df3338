using System.Diagnostics.CodeAnalysis;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// Whose mail a message is, on which list, and of what class, from what it names (tenant, topic,
/// class) and the tenant its client is bound to; or why the gateway refuses it. Knows no headers
/// and no MIME: SMTP reads the names from the message (<see cref="MessageClassifier"/>), the batch
/// check from its request, and both are decided here, so a check answers as the mail would fare.
/// </summary>
public static class MessageContextRules
{
    /// <param name="namedTenant">The tenant the message names (<c>X-Suppression-Tenant</c>), or null.</param>
    /// <param name="namedTopic">The topic it names (<c>X-Suppression-Topic</c>), or null.</param>
    /// <param name="listId">The list id of its List-Id (RFC 2919), lower-cased, or null; a named topic wins over it.</param>
    /// <param name="namedClass">The class it names (<c>X-Suppression-Class</c>), or null for the tenant's default.</param>
    /// <param name="boundTenant">The tenant the client is bound to (by network, AUTH or key), which nothing named can change.</param>
    /// <param name="refusal">Why the message cannot be taken, when the method returns false.</param>
    public static bool TryResolve(
        string? namedTenant,
        string? namedTopic,
        string? listId,
        string? namedClass,
        Tenant? boundTenant,
        TenantDirectory tenants,
        out MessageContext context,
        [NotNullWhen(false)] out SmtpReply? refusal)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        context = MessageContext.UntenantedMarketing;
        refusal = null;

        var tenant = boundTenant;
        if (namedTenant is not null)
        {
            if (boundTenant is not null && namedTenant != boundTenant.Id)
            {
                // An authenticated or network-bound client speaks for its own tenant only.
                refusal = new SmtpReply(550, "5.7.1", $"{MessageClassifier.TenantHeader} names another tenant than the one this client sends for");
                return false;
            }

            if (boundTenant is null && !tenants.TryGet(namedTenant, out tenant))
            {
                // A typo would split one sender's opt-outs in two; an unknown tenant is refused rather than guessed.
                refusal = new SmtpReply(550, "5.7.1", $"{MessageClassifier.TenantHeader}: no tenant '{Printable(namedTenant)}' is configured");
                return false;
            }
        }

        var topic = namedTopic?.ToLowerInvariant() ?? listId;
        if (tenant is not null && topic is not null && !tenant.MayName(topic))
        {
            // A new List-Id per campaign would otherwise escape an opt-out of the list it continues.
            refusal = new SmtpReply(550, "5.7.1", $"Tenant '{tenant.Id}' has not declared the topic '{Printable(topic)}' this message names");
            return false;
        }

        var isValidTopic = topic is not null && SuppressionScope.IsValidName(topic);
        if (namedTopic is not null && (tenant is null || !isValidTopic))
        {
            refusal = tenant is null
                ? new SmtpReply(550, "5.7.1", $"{MessageClassifier.TopicHeader} needs a tenant (by network, AUTH or {MessageClassifier.TenantHeader})")
                : new SmtpReply(554, "5.6.0", $"{MessageClassifier.TopicHeader} must be 1-64 letters, digits, '-', '_' or '.'");
            return false;
        }

        // A List-Id that is no valid topic name (too long, odd characters) is no topic: its opt-outs are the tenant's.
        topic = isValidTopic ? topic : null;

        MessageClass messageClass;
        if (namedClass is null)
        {
            messageClass = tenant?.DefaultClassOf(topic) ?? MessageClass.Marketing;
        }
        else if (!TryParseClass(namedClass, out messageClass))
        {
            refusal = new SmtpReply(554, "5.6.0", $"{MessageClassifier.ClassHeader} must be marketing or transactional");
            return false;
        }

        if (messageClass == MessageClass.Transactional && tenant is not { AllowsTransactional: true })
        {
            // Transactional mail passes unsubscribes and complaints: only a tenant the operator trusts with that may send it.
            refusal = new SmtpReply(550, "5.7.1", tenant is null
                ? "Transactional mail needs a tenant allowed to send it; this message has no tenant"
                : $"Tenant '{tenant.Id}' is not allowed to send transactional mail");
            return false;
        }

        if (messageClass == MessageClass.Marketing && topic is null && tenant is { HasDeclaredTopics: true })
        {
            // Leaving the List-Id out would otherwise pass every topic opt-out: only the tenant-wide
            // ones would apply. Blocking it by all of them instead would stop mail people still want.
            refusal = new SmtpReply(550, "5.7.1", $"Tenant '{tenant.Id}' has declared its topics: its marketing mail must name one ({MessageClassifier.TopicHeader} or List-Id)");
            return false;
        }

        context = tenant is null && tenants.Ids.Count > 0
            ? UnboundRelayMail(tenants, topic, messageClass)
            : new MessageContext(tenant?.Id, tenant is null ? null : topic, messageClass);
        return true;
    }

    // A relay-network client that names no tenant could be sending for any of them: its mail answers
    // to every tenant's opt-outs, and, being for no tenant in particular, carries the global link.
    private static MessageContext UnboundRelayMail(TenantDirectory tenants, string? topic, MessageClass messageClass) =>
        new(null, null, messageClass) { Scopes = ApplicableScopes.ForAnyOf(tenants.Ids, topic) };

    private static bool TryParseClass(string text, out MessageClass messageClass)
    {
        switch (text.ToLowerInvariant())
        {
            case "marketing":
                messageClass = MessageClass.Marketing;
                return true;
            case "transactional":
                messageClass = MessageClass.Transactional;
                return true;
            default:
                messageClass = MessageClass.Marketing;
                return false;
        }
    }

    // The tenant name goes back to the client in a reply line: nothing that could break it.
    private static string Printable(string text) =>
        new(text.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '?').ToArray());
}
