using System.Text.Encodings.Web;
using System.Text.Json;
using Suppression.Smtp.Delivery;

namespace Suppression.Gateway.BatchCheck;

/// <summary>The JSON of a check's answers and end records, shared by the JSON and NDJSON forms.</summary>
public static class CheckAnswerJson
{
    /// <summary>Addresses come back as given: '+' and non-ASCII letters are not escaped.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly JsonEncodedText AddressName = JsonEncodedText.Encode("address");
    private static readonly JsonEncodedText VerdictName = JsonEncodedText.Encode("verdict");
    private static readonly JsonEncodedText ScopeName = JsonEncodedText.Encode("scope");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText CreatedAtName = JsonEncodedText.Encode("createdAt");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText[] Verdicts =
    [
        JsonEncodedText.Encode(CheckVerdictNames.Of(CheckVerdict.Deliver)),
        JsonEncodedText.Encode(CheckVerdictNames.Of(CheckVerdict.Suppressed)),
        JsonEncodedText.Encode(CheckVerdictNames.Of(CheckVerdict.Invalid)),
    ];

    public static void WriteAnswer(Utf8JsonWriter json, in CheckAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString(AddressName, answer.Address);
        json.WriteString(VerdictName, Verdicts[(int)answer.Verdict]);
        if (answer.Entry is { } entry)
        {
            WriteIfGiven(json, ScopeName, entry.Scope);
            WriteIfGiven(json, ReasonName, entry.Reason);
            WriteIfGiven(json, SourceName, entry.Source);
            if (entry.CreatedAt is { } createdAt)
            {
                json.WriteString(CreatedAtName, createdAt.UtcDateTime);
            }
        }

        if (answer.Error is not null)
        {
            json.WriteString(ErrorName, answer.Error);
        }

        json.WriteEndObject();
    }

    /// <summary>The context the answers hold for, as resolved: a tenant's default class, no topic when a List-Id would be none.</summary>
    public static void WriteContext(Utf8JsonWriter json, MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(context);
        json.WriteStartObject("context");
        json.WriteString("tenant", context.Tenant);
        json.WriteString("topic", context.Topic);
        json.WriteString("class", context.Class.ToString().ToLowerInvariant());
        json.WriteEndObject();
    }

    public static void WriteCounts(Utf8JsonWriter json, CheckCounts counts)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(counts);
        json.WriteStartObject("counts");
        json.WriteNumber("addresses", counts.Total);
        json.WriteNumber("deliver", counts.Deliver);
        json.WriteNumber("suppressed", counts.Suppressed);
        json.WriteNumber("invalid", counts.Invalid);
        json.WriteEndObject();
    }

    /// <summary><c>"complete": false</c> and an RFC 9457-shaped <c>error</c>: the answers before it are all there is.</summary>
    public static void WriteFailure(Utf8JsonWriter json, CheckFailure failure)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(failure);
        json.WriteBoolean("complete", false);
        json.WriteStartObject("error");
        json.WriteNumber("status", failure.Status);
        json.WriteString("title", failure.Title);
        json.WriteString("detail", failure.Detail);
        json.WriteEndObject();
    }

    private static void WriteIfGiven(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
