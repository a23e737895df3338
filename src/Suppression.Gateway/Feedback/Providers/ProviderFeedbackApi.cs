using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Suppression.Gateway.Apis;
using Suppression.Smtp.Feedback.Providers;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// <c>POST /api/v1/feedback/{provider}</c>: an upstream ESP's event webhook. No API key: the request
/// proves itself with the provider's own signature against a <c>Suppression:Feedback:Providers</c>
/// entry, whose tenant its events are attributed to. A request no entry signed is 401 and changes
/// nothing, and counts against its client's network (<see cref="ProviderRequestLimits"/>: 429 past
/// the limit); a signed one's events go through <see cref="ProviderFeedback"/>.
/// </summary>
public static class ProviderFeedbackApi
{
    /// <summary>A webhook request carries one event (Mailgun, Postmark, SES) or a batch (SendGrid): far below this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapProviderFeedbackApiV1(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/feedback/{provider}", ReceiveAsync)
            .Documented(ApiContract.FeedbackTag, "receiveProviderFeedback", "An upstream ESP's event webhook",
                "Where SES (SNS notifications), SendGrid, Mailgun and Postmark post their bounce, complaint and unsubscribe events, in "
                + "the provider's own format (provider: ses, sendgrid, mailgun or postmark). No API key: each request must carry the "
                + "provider's signature (Postmark: basic auth); unsigned or badly signed requests get 401 and change nothing. "
                + "Each event id is taken once.",
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests)
            .Accepts<JsonElement>("application/json", "text/plain");
        return app;
    }

    private static async Task<Results<Ok<ProviderFeedbackReceived>, ProblemHttpResult>> ReceiveAsync(
        string provider, HttpContext http, IEnumerable<IProviderWebhook> webhooks, IOptions<SmtpGatewayOptions> options, ProviderFeedback feedback,
        ProviderRequestLimits limits, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProviderFeedbackApi));
        var client = http.Connection.RemoteIpAddress;
        if (!limits.TryAdmit(client, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            logger.ProviderRequestLimited(provider, client?.ToString() ?? "unknown");
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                detail: $"Too many requests from your network failed authentication in the last minute; try again in {seconds} seconds. Nothing was changed.");
        }

        var webhook = webhooks.FirstOrDefault(candidate => string.Equals(candidate.Name, provider, StringComparison.Ordinal));
        var entries = options.Value.Feedback.Providers.Where(entry => string.Equals(entry.Name, provider, StringComparison.Ordinal)).ToList();
        if (webhook is null || entries.Count == 0)
        {
            limits.RecordFailure(client);
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"No provider '{provider}' is configured here (Suppression:Feedback:Providers:N:Name).");
        }

        if (await ReadBodyAsync(http.Request, cancellationToken) is not { } body)
        {
            limits.RecordFailure(client);
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large",
                detail: $"A webhook request may be at most {MaxBodyBytes} bytes.");
        }

        // Several entries of one provider (one per tenant's account): the one whose secret signed it.
        FeedbackProviderOptions? signer = null;
        string? refusal = null;
        foreach (var entry in entries)
        {
            refusal = await webhook.RefusalAsync(http.Request, body, entry, cancellationToken);
            if (refusal is null)
            {
                signer = entry;
                break;
            }
        }

        if (signer is null)
        {
            limits.RecordFailure(client);
            logger.ProviderRequestRefused(provider, refusal!);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"This request is not signed by a configured {provider} account: {refusal}. Nothing was changed.");
        }

        IReadOnlyList<ProviderEvent> events;
        try
        {
            events = await webhook.ReadAsync(body, cancellationToken);
        }
        catch (FormatException exception)
        {
            logger.ProviderRequestNotUnderstood(provider, exception.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: $"The request is signed but is not {provider}'s event format: {exception.Message} Nothing was changed.");
        }

        var outcomes = new List<ProviderEventOutcome>(events.Count);
        try
        {
            foreach (var providerEvent in events)
            {
                outcomes.Add(await feedback.RecordAsync(providerEvent, signer, client ?? IPAddress.None, cancellationToken));
            }
        }
        catch (Exception)
        {
            // The answer is 503 (or none, if the request was aborted), and the provider sends it again:
            // that retry must be processed, not refused as a replay.
            await ForgetRequestAsync(webhook, body, logger);
            throw;
        }

        return TypedResults.Ok(new ProviderFeedbackReceived(
            events.Count,
            outcomes.Count(outcome => outcome == ProviderEventOutcome.Suppressed),
            outcomes.Count(outcome => outcome is ProviderEventOutcome.Held or ProviderEventOutcome.NotHeld),
            outcomes.Count(outcome => outcome == ProviderEventOutcome.Duplicate)));
    }

    private static async Task ForgetRequestAsync(IProviderWebhook webhook, ReadOnlyMemory<byte> body, ILogger logger)
    {
        try
        {
            await webhook.ForgetRequestAsync(body, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.ProviderSignatureNotForgotten(webhook.Name, exception);
        }
    }

    // Null when the body is over the limit; read whole, since the signature covers every byte.
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
