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

        // A named topic wins over the List-Id, which is then not read at all.
        return MessageContextRules.TryResolve(named, topicHeader, topicHeader is null ? ListIdOf(message) : null, classHeader, boundTenant, tenants, out context, out refusal);
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
}
