using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Suppression.Testing.Contract;

/// <summary>
/// The committed OpenAPI document (docs/openapi.json) as a checker of real traffic: which operation
/// a request is, whether its query names only declared parameters, and whether a JSON body (of a
/// request or a response) validates against the schema the document gives it. Shared by the
/// gateway's contract tests and the CLI's, so both hold to one document.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly JsonObject _paths;
    private readonly string _schemas;
    private readonly Dictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);

    private OpenApiContract(JsonNode document)
    {
        _paths = document["paths"]!.AsObject();
        _schemas = document["components"]?["schemas"]?.ToJsonString() ?? "{}";
    }

    public static OpenApiContract Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!);

    /// <summary>The operation a request is: its path template and operation object, or null when the document has none.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        var segments = path.Split('/');
        foreach (var (template, item) in _paths)
        {
            var parts = template.Split('/');
            if (parts.Length == segments.Length
                && parts.Zip(segments).All(pair => pair.First.StartsWith('{') || string.Equals(pair.First, pair.Second, StringComparison.Ordinal))
                && item![method.ToLowerInvariant()] is JsonObject operation)
            {
                // A literal segment beats a parameter (/suppressions/export is not /suppressions/{address}).
                if (parts.Any(part => part.StartsWith('{'))
                    && _paths.Any(other => other.Key != template && IsLiteralMatch(other.Key, segments) && other.Value![method.ToLowerInvariant()] is not null))
                {
                    continue;
                }

                return (template, operation);
            }
        }

        return null;
    }

    /// <summary>What is wrong with a request by the document: nothing when it is an operation it describes, as described.</summary>
    public IReadOnlyList<string> CheckRequest(string method, string rawTarget, string? contentType, byte[] body)
    {
        if (Find(method, rawTarget) is not var (template, operation))
        {
            return [$"{method} {rawTarget}: no such operation in the document"];
        }

        var problems = new List<string>();
        var declared = (operation["parameters"]?.AsArray() ?? []).Where(parameter => (string?)parameter!["in"] == "query")
            .Select(parameter => (string)parameter!["name"]!).ToHashSet(StringComparer.Ordinal);
        var query = rawTarget.Contains('?', StringComparison.Ordinal) ? rawTarget.Split('?', 2)[1] : "";
        foreach (var name in query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => Uri.UnescapeDataString(pair.Split('=', 2)[0])))
        {
            if (!declared.Contains(name))
            {
                problems.Add($"{method} {template}: query parameter '{name}' is not in the document");
            }
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (body.Length > 0)
        {
            var content = operation["requestBody"]?["content"]?.AsObject();
            if (content is null || mediaType is null || !content.ContainsKey(mediaType))
            {
                problems.Add($"{method} {template}: a {mediaType ?? "typeless"} body, which the document does not take");
            }
            else if (IsJson(mediaType) && content[mediaType]!["schema"] is { } schema)
            {
                problems.AddRange(Validate(schema, body).Select(error => $"{method} {template} request body: {error}"));
            }
        }

        return problems;
    }

    /// <summary>What is wrong with a response by the document: its status and content type described, a JSON body valid.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string rawTarget, int status, string? contentType, byte[] body)
    {
        if (Find(method, rawTarget) is not var (template, operation))
        {
            return [$"{method} {rawTarget}: no such operation in the document"];
        }

        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response is null)
        {
            return [$"{method} {template}: status {status} is not in the document"];
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            return [];
        }

        if (content is null || mediaType is null || !content.ContainsKey(mediaType))
        {
            return [$"{method} {template} {status}: content type {mediaType} is not in the document"];
        }

        return IsJson(mediaType) && content[mediaType]!["schema"] is { } schema
            ? [.. Validate(schema, body).Select(error => $"{method} {template} {status}: {error}")]
            : [];
    }

    // JSON documents, not NDJSON streams (which are text to the document).
    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static bool IsLiteralMatch(string template, string[] segments)
    {
        var parts = template.Split('/');
        return parts.Length == segments.Length && parts.Zip(segments).All(pair => string.Equals(pair.First, pair.Second, StringComparison.Ordinal));
    }

    // The operation's schema, with the document's components as $defs so its references resolve.
    private IEnumerable<string> Validate(JsonNode schema, byte[] body)
    {
        var text = schema.ToJsonString();
        if (!_compiled.TryGetValue(text, out var compiled))
        {
            var whole = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{_schemas}},"allOf":[{{text}}]}"""
                .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            compiled = JsonSchema.FromText(whole);
            _compiled[text] = compiled;
        }

        using var instance = JsonDocument.Parse(body);
        var results = compiled.Evaluate(instance.RootElement, Evaluation);
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(detail => detail.Errors is not null)
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"));
    }
}
