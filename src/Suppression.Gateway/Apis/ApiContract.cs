using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Suppression.Gateway.Access;

namespace Suppression.Gateway.Apis;

/// <summary>
/// The API's OpenAPI 3.1 document, generated from the endpoints themselves and served at
/// <c>/openapi/v1.json</c>; docs/openapi.json is its committed copy, held identical by a test, and
/// linted by Redocly in CI. Each endpoint says what it does where it is mapped
/// (<see cref="Documented"/>); the document as a whole (info, the bearer scheme, tags) is here.
/// </summary>
public static class ApiContract
{
    public const string DocumentName = "v1";
    public const string Path = "/openapi/{documentName}.json";
    public const string BearerScheme = "bearer";

    public const string HealthTag = "Health";
    public const string SuppressionsTag = "Suppressions";
    public const string ListTag = "List";
    public const string AuditTag = "Audit";
    public const string FeedbackTag = "Feedback";
    public const string WebhooksTag = "Webhooks";
    public const string OperationsTag = "Operations";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        [HealthTag] = "Liveness and readiness for orchestrators; no key needed.",
        [SuppressionsTag] = "One address at a time: add an opt-out, look one up, remove one with evidence of renewed consent.",
        [ListTag] = "The whole list: export, import of files, and erasure of a person's data.",
        [AuditTag] = "The tamper-evident audit trail: search, export and verification.",
        [FeedbackTag] = "Bounce and complaint reports: the review queue for people, and the upstream ESPs' signed event webhooks.",
        [WebhooksTag] = "The outbound event webhooks: endpoint state, replay, enabling, dead letters.",
        [OperationsTag] = "Storage format upgrades and SMTP login lockouts.",
    };

    public static IServiceCollection AddApiContract(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                AddStreamedFormats(operation, metadata.OfType<StreamedFormats>().FirstOrDefault());
                SayWhetherTenantKeysMayCall(operation, context.Description.RelativePath, metadata.OfType<TenantKeysAdmitted>().Any());
                if (metadata.OfType<DocumentedRequestBody>().FirstOrDefault() is { } body)
                {
                    var content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.JsonType, null, cancellationToken) },
                    };
                    foreach (var textType in body.TextTypes)
                    {
                        content[textType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                    }

                    operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
                }
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiContract(this WebApplication app)
    {
        app.MapOpenApi(Path);
        return app;
    }

    /// <summary>
    /// What an operation is, for the contract: its stable id (what generated clients name their
    /// methods by), a one-line summary, a description that says who may call it, and the problem
    /// responses (RFC 9457) it can give beyond those every /api/v1 route can (401, 403, 503).
    /// </summary>
    public static RouteHandlerBuilder Documented(
        this RouteHandlerBuilder endpoint, string tag, string operationId, string summary, string description, params int[] problems)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.WithTags(tag).WithName(operationId).WithSummary(summary).WithDescription(description);
        foreach (var status in problems)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>
    /// A 200 that can also be a stream of text in other formats (chosen by <c>?format=</c>): they join
    /// the JSON answer's content types in the contract, each as a string.
    /// </summary>
    public static RouteHandlerBuilder AlsoStreams(this RouteHandlerBuilder endpoint, params string[] contentTypes) =>
        endpoint.WithMetadata(new StreamedFormats(contentTypes));

    /// <summary>
    /// The request body of an endpoint that reads it itself (so that a wrong media type gets its
    /// readable 415, not routing's bare one): a JSON type and text formats, for the contract only.
    /// </summary>
    public static RouteHandlerBuilder TakesBody(this RouteHandlerBuilder endpoint, Type jsonType, params string[] textTypes) =>
        endpoint.WithMetadata(new DocumentedRequestBody(jsonType, textTypes));

    /// <summary>The problems any keyed /api/v1 route can answer: no key, a key without the right, the list unreachable.</summary>
    public static RouteGroupBuilder WithKeyedApiProblems(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static void AddStreamedFormats(OpenApiOperation operation, StreamedFormats? formats)
    {
        if (formats is null || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }

        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var contentType in formats.ContentTypes)
        {
            ok.Content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }

    // From the metadata the key filter itself obeys, so the document cannot say otherwise than the gateway does.
    private static void SayWhetherTenantKeysMayCall(OpenApiOperation operation, string? path, bool admitted)
    {
        if (path is null || !path.StartsWith("api/v1/", StringComparison.Ordinal) || path == "api/v1/feedback/{provider}")
        {
            return;
        }

        operation.Description += admitted
            ? " Tenant keys too, kept to their tenant: its own tenant: and topic: scopes; global entries are seen, never changed."
            : " Not tenant keys (403).";
    }

    // The document is the same whoever asks and wherever the gateway runs: its server is relative
    // (the address the document was fetched from), the bearer scheme is required by default and
    // lifted only for the routes that take no key.
    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Suppression Gateway API",
            Version = DocumentName,
            Description = "The suppression list, its audit trail, bounce and complaint feedback and the event webhooks of the "
                + "Suppression Gateway. Every /api/v1 route except /api/v1/feedback/{provider} takes an API key as "
                + "'Authorization: Bearer <key>'. Roles: admin keys (Suppression:Admin:ApiKeys) may do everything; compliance keys "
                + "(Suppression:Compliance:ApiKeys) may read, search, export and verify; a tenant's keys (Suppression:Tenants:N:ApiKeys) "
                + "may use only the operations that say so, within that tenant. Errors are problem details (RFC 9457).",
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway that served this document." }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: 'Authorization: Bearer <key>'.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        document.Tags = new HashSet<OpenApiTag>(
            TagDescriptions.Select(tag => new OpenApiTag { Name = tag.Key, Description = tag.Value }));
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/v1/", StringComparison.Ordinal) || path == "/api/v1/feedback/{provider}")
            {
                foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
                {
                    operation.Security = [];
                }
            }
        }
    }
}

/// <summary>Endpoint metadata: the text formats a 200 can stream besides JSON (<see cref="ApiContract.AlsoStreams"/>).</summary>
public sealed record StreamedFormats(IReadOnlyList<string> ContentTypes);

/// <summary>Endpoint metadata: a request body the handler reads itself (<see cref="ApiContract.TakesBody"/>).</summary>
public sealed record DocumentedRequestBody(Type JsonType, IReadOnlyList<string> TextTypes);
