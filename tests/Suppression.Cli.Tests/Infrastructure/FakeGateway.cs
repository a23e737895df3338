using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Suppression.Cli.Tests.Infrastructure;

/// <summary>
/// The gateway's /api/v1 contract as the CLI sees it, on a free loopback port, with canned answers a
/// test can change. It records every request (raw target, headers, body bytes) before answering.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public const string ApiKey = "cli-test-key-7c1d9e";

    public const string JaneLookup = """
        {"address":"jane@example.com","entries":[{"scope":"global","reason":"unsubscribe","source":"one-click","createdAt":"2026-11-23T10:00:00+00:00"},{"scope":"topic:acme/newsletter","reason":"complaint","source":"feedback-loop","createdAt":"2026-11-24T08:30:00+00:00"}]}
        """;

    private readonly WebApplication _app;

    private FakeGateway(WebApplication app)
    {
        _app = app;
        Url = new Uri(app.Urls.Single());
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Address to lookup body; any other address is a 404 problem, as the gateway answers.</summary>
    public Dictionary<string, string> Suppressed { get; } = new(StringComparer.OrdinalIgnoreCase) { ["jane@example.com"] = JaneLookup };

    public string ImportReply { get; set; } = """
        {"batch":"b-20261123-1","format":"sendgrid-bounces","fileSha256":"9f86d081884c7d65","rows":4,"imported":2,"unchanged":0,"rejected":2,"errors":[{"line":3,"reason":"not an email address"},{"line":5,"reason":"unknown reason 'maybe'"}],"errorsTruncated":false}
        """;

    public byte[] ExportBody { get; set; } = "address,scope,reason\r\njane@example.com,global,unsubscribe\r\nbob@example.com,tenant:acme,complaint\r\n"u8.ToArray();

    public byte[] AuditBody { get; set; } = "{\"type\":\"suppressed\",\"address\":\"jane@example.com\"}\n{\"type\":\"erased\",\"address\":null}\n"u8.ToArray();

    public string UpgradeReply { get; set; } = """{"format":"compact","mailboxes":1200,"converted":1150,"alreadyInFormat":48,"keptAsText":2,"unreadable":0,"seconds":0.44}""";

    public string LockoutsReply { get; set; } = """
        {"lockouts":[{"client":"203.0.113.9","username":"acme-mailer","failures":5,"lastFailure":"2026-12-07T05:00:00+00:00","lockedUntil":"2026-12-07T05:01:00+00:00"},
        {"client":"2001:db8:1:2::/64","username":null,"failures":2,"lastFailure":"2026-12-07T04:00:00+00:00","lockedUntil":null}],"truncated":false}
        """;

    public string LockoutsClearedReply { get; set; } = """{"client":"203.0.113.9","user":"acme-mailer","cleared":1}""";

    public string VerifyReply { get; set; } = """{"ok":true,"records":1234,"chains":56,"firstBadChain":null,"firstBadSequence":null,"problem":null}""";

    public string ErasureReply { get; set; } = """{"addressHash":"5e884898da280471","records":12,"entries":1}""";

    public string WebhooksReply { get; set; } = """
        {"endpoints":[{"id":"crm","url":"https://crm.example.com/hooks","events":[],"tenants":[],"includeAddress":true,"disabled":false,"disabledReason":null,
        "lastSuccess":"2026-12-07T05:00:00+00:00","consecutiveFailures":0,"lastError":null,"backlog":0,"oldestUndelivered":null,"deadLetters":0},
        {"id":"warehouse","url":"https://dw.example.com/in","events":["bounce.hard"],"tenants":["acme"],"includeAddress":false,"disabled":true,"disabledReason":"HTTP 410",
        "lastSuccess":null,"consecutiveFailures":3,"lastError":"HTTP 503","backlog":12,"oldestUndelivered":"2026-12-06T23:15:00+00:00","deadLetters":4}]}
        """;

    public string WebhookEnabledReply { get; set; } = """{"endpoint":"warehouse","wasDisabled":true}""";

    /// <summary>The batch check's answer (NDJSON), whatever the body: complete unless a test makes it otherwise.</summary>
    public string CheckReply { get; set; } =
        "{\"address\":\"jane@example.com\",\"verdict\":\"suppressed\",\"scope\":\"global\",\"reason\":\"unsubscribe\"}\n"
        + "{\"complete\":true,\"context\":{\"tenant\":null,\"topic\":null,\"class\":\"marketing\"},\"counts\":{\"addresses\":1,\"deliver\":0,\"suppressed\":1,\"invalid\":0}}\n";

    /// <summary>When set, every authenticated request is answered with this status, content type and body.</summary>
    public (int Status, string ContentType, string Body)? FailEverything { get; set; }

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeGateway? gateway = null;
        app.Use(async (context, next) => await gateway!.RecordAndAuthorizeAsync(context, next));
        app.MapGet("/api/v1/suppressions/export", (HttpContext context) => Bytes(context, gateway!.ExportBody));
        app.MapGet("/api/v1/suppressions/{address}", (string address) => gateway!.Lookup(address));
        app.MapPost("/api/v1/suppressions/import", () => Results.Content(gateway!.ImportReply, "application/json"));
        app.MapGet("/api/v1/audit", (HttpContext context) => Bytes(context, gateway!.AuditBody));
        app.MapPost("/api/v1/suppressions/check", () => Results.Text(gateway!.CheckReply, "application/x-ndjson"));
        app.MapGet("/api/v1/audit/verify", () => Results.Content(gateway!.VerifyReply, "application/json"));
        app.MapPost("/api/v1/erasures", () => Results.Content(gateway!.ErasureReply, "application/json"));
        app.MapGet("/api/v1/storage", () => Results.Content("""{"format":"text"}""", "application/json"));
        app.MapPost("/api/v1/storage/upgrade", () => Results.Content(gateway!.UpgradeReply, "application/json"));
        app.MapGet("/api/v1/smtp/lockouts", () => Results.Content(gateway!.LockoutsReply, "application/json"));
        app.MapDelete("/api/v1/smtp/lockouts", () => Results.Content(gateway!.LockoutsClearedReply, "application/json"));
        app.MapGet("/api/v1/webhooks", () => Results.Content(gateway!.WebhooksReply, "application/json"));
        app.MapPost("/api/v1/webhooks/{id}/replay", (string id) => Webhook(id, """{"endpoint":"crm","from":"2026-12-07T10:00:00+00:00","to":"2026-12-07T12:00:00+00:00","queued":2,"logRetentionDays":14}"""));
        app.MapPost("/api/v1/webhooks/{id}/enable", (string id) => Webhook(id, gateway!.WebhookEnabledReply));
        app.MapPost("/api/v1/webhooks/{id}/dead-letters/requeue", (string id) => Webhook(id, """{"endpoint":"warehouse","requeued":4}"""));
        await app.StartAsync();
        gateway = new FakeGateway(app);
        return gateway;
    }

    public ReceivedRequest SingleRequest() => Assert.Single(Requests);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RecordAndAuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        Requests.Enqueue(new ReceivedRequest(
            request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null,
            request.ContentType,
            request.ContentLength,
            request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase),
            body.ToArray()));

        if (request.Headers.Authorization != "Bearer " + ApiKey)
        {
            await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Send an API key as 'Authorization: Bearer <key>'.").ExecuteAsync(context);
            return;
        }

        if (FailEverything is { } failure)
        {
            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = failure.ContentType;
            await context.Response.WriteAsync(failure.Body, context.RequestAborted);
            return;
        }

        await next(context);
    }

    private IResult Lookup(string address) => Suppressed.TryGetValue(address, out var body)
        ? Results.Content(body, "application/json")
        : Results.Problem(statusCode: 404, title: "Not Found", detail: "No suppression applies to this address.");

    // The gateway's answers for its two configured endpoints, and its 404 for any other id.
    private static IResult Webhook(string id, string body) => id is "crm" or "warehouse"
        ? Results.Content(body, "application/json")
        : Results.Problem(statusCode: 404, title: "No such webhook endpoint", detail: $"'{id}' is not a configured endpoint (Suppression:Webhooks:Endpoints); GET /api/v1/webhooks lists them.");

    private static IResult Bytes(HttpContext context, byte[] body) =>
        Results.Bytes(body, context.Request.Query["format"] == "ndjson" ? "application/x-ndjson" : "text/csv");
}
