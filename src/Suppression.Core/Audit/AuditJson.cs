using System.Text.Encodings.Web;
using System.Text.Json;

namespace Suppression.Audit;

/// <summary>
/// The JSON spelling of an audit record, shared by the body a chain stores (and hashes) and the
/// entries the API and the exports return: one writer setting and one order for the fields both carry.
/// </summary>
public static class AuditJson
{
    // Evidence and User-Agents stay readable (non-ASCII, '<' and '&' as they are); JSON's own escapes
    // still apply. Stored bodies are hashed as written, so this never changes.
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The fields from <c>scope</c> to <c>userAgent</c>: what was decided, by whom, and for which sender and client.</summary>
    public static void WriteDecision(
        Utf8JsonWriter writer, string? scope, string? reason, string? source, bool changed, string actor, string? tenant, string? topic, string? clientIp, string? userAgent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteIfPresent(writer, "scope", scope);
        WriteIfPresent(writer, "reason", reason);
        WriteIfPresent(writer, "source", source);
        writer.WriteBoolean("changed", changed);
        writer.WriteString("actor", actor);
        WriteIfPresent(writer, "tenant", tenant);
        WriteIfPresent(writer, "topic", topic);
        WriteIfPresent(writer, "clientIp", clientIp);
        WriteIfPresent(writer, "userAgent", userAgent);
    }

    /// <summary>A field that is left out, not written as null, when it has no value.</summary>
    public static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
