using System.Diagnostics.CodeAnalysis;
using MimeKit;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// Reads a message's tenant, topic and class from the gateway's instruction headers and the
/// standard List-Id (RFC 2919), and removes the instructions before the message is relayed
/// (docs/design.md, what a copy is: they are for the gateway, not for recipients).
/// </summary>
public static class MessageClassifier
{
    public const string TenantHeader = "X-Suppression-Tenant";
    public const string TopicHeader = "X-Suppression-Topic";
    public const string ClassHeader = "X-Suppression-Class";
    private const string InstructionPrefix = "X-Suppression-";

    /// <param name="boundTenant">The tenant the session is bound to (by network or AUTH), which no header can change.</param>
    /// <param name="refusal">Why the message cannot be taken, when the method returns false.</param>
    public static bool TryClassify(MimeMessage message, Tenant? boundTenant, TenantDirectory tenants, out MessageContext context, [NotNullWhen(false)] out SmtpReply? refusal)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(tenants);
        context = MessageContext.UntenantedMarketing;
        refusal = null;

        // One pass over the header block; the instructions are a handful at most.
        var instructions = InstructionsOf(message);
        if (new[] { TenantHeader, TopicHeader, ClassHeader }.FirstOrDefault(field => ValuesOf(instructions, field).Count() > 1) is { } repeated)
        {
            refusal = new SmtpReply(554, "5.6.0", $"{repeated} appears more than once");
            return false;
        }

        var named = ValuesOf(instructions, TenantHeader).SingleOrDefault();
        var topicHeader = ValuesOf(instructions, TopicHeader).SingleOrDefault();
        var classHeader = ValuesOf(instructions, ClassHeader).SingleOrDefault();

        var tenant = boundTenant;
        if (named is not null)
        {
            if (boundTenant is not null && named != boundTenant.Id)
            {
                // An authenticated or network-bound client speaks for its own tenant only.
                refusal = new SmtpReply(550, "5.7.1", $"{TenantHeader} names another tenant than the one this client sends for");
                return false;
            }

            if (boundTenant is null && !tenants.TryGet(named, out tenant))
            {
                // A typo would split one sender's opt-outs in two; an unknown tenant is refused rather than guessed.
                refusal = new SmtpReply(550, "5.7.1", $"{TenantHeader}: no tenant '{Printable(named)}' is configured");
                return false;
            }
        }

        var topic = topicHeader?.ToLowerInvariant() ?? ListIdOf(message);
        if (tenant is not null && topic is not null && !tenant.MayName(topic))
        {
            // A new List-Id per campaign would otherwise escape an opt-out of the list it continues.
            refusal = new SmtpReply(550, "5.7.1", $"Tenant '{tenant.Id}' has not declared the topic '{Printable(topic)}' this message names");
            return false;
        }

        var isValidTopic = topic is not null && SuppressionScope.IsValidName(topic);
        if (topicHeader is not null && (tenant is null || !isValidTopic))
        {
            refusal = tenant is null
                ? new SmtpReply(550, "5.7.1", $"{TopicHeader} needs a tenant (by network, AUTH or {TenantHeader})")
                : new SmtpReply(554, "5.6.0", $"{TopicHeader} must be 1-64 letters, digits, '-', '_' or '.'");
            return false;
        }

        // A List-Id that is no valid topic name (too long, odd characters) is no topic: its opt-outs are the tenant's.
        topic = isValidTopic ? topic : null;

        MessageClass messageClass;
        if (classHeader is null)
        {
            messageClass = tenant?.DefaultClass ?? MessageClass.Marketing;
        }
        else if (!TryParseClass(classHeader, out messageClass))
        {
            refusal = new SmtpReply(554, "5.6.0", $"{ClassHeader} must be marketing or transactional");
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
            refusal = new SmtpReply(550, "5.7.1", $"Tenant '{tenant.Id}' has declared its topics: its marketing mail must name one ({TopicHeader} or List-Id)");
            return false;
        }

        context = tenant is null && tenants.Ids.Count > 0
            ? UnboundRelayMail(tenants, topic, messageClass)
            : new MessageContext(tenant?.Id, tenant is null ? null : topic, messageClass);
        return true;
    }

    /// <summary>Removes every <c>X-Suppression-*</c> header: they are instructions to the gateway, not part of the mail.</summary>
    public static void RemoveInstructions(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = message.Headers;
        var kept = headers.Where(header => !IsInstruction(header)).ToList();
        if (kept.Count == headers.Count)
        {
            return;
        }

        // HeaderList.Remove searches the list and shifts what follows: quadratic over a stranger's
        // thousands of fields (60,000 took 11 s). Refilling it with the kept fields, in order and
        // with their raw bytes, is one pass.
        headers.Clear();
        foreach (var header in kept)
        {
            headers.Add(header);
        }
    }

    private static bool IsInstruction(Header header) => header.Field.StartsWith(InstructionPrefix, StringComparison.OrdinalIgnoreCase);

    private static List<Header> InstructionsOf(MimeMessage message) =>
        message.Headers.Where(IsInstruction).ToList();

    private static IEnumerable<string> ValuesOf(List<Header> instructions, string field) =>
        instructions.Where(header => header.Field.Equals(field, StringComparison.OrdinalIgnoreCase)).Select(header => header.Value.Trim());

    // A relay-network client that names no tenant could be sending for any of them: its mail answers
    // to every tenant's opt-outs, and, being for no tenant in particular, carries the global link.
    private static MessageContext UnboundRelayMail(TenantDirectory tenants, string? topic, MessageClass messageClass) =>
        new(null, null, messageClass) { Scopes = ApplicableScopes.ForAnyOf(tenants.Ids, topic) };

    // RFC 2919 2: List-Id: [phrase] "<" list-label "." list-id-namespace ">"; the id compares case-insensitively.
    private static string? ListIdOf(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ListId];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var open = value.LastIndexOf('<');
        var close = value.LastIndexOf('>');
        var id = open >= 0 && close > open ? value[(open + 1)..close] : value;
        return id.Trim().ToLowerInvariant();
    }

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
