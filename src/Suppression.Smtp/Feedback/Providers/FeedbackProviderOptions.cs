namespace Suppression.Smtp.Feedback.Providers;

/// <summary>
/// <c>Suppression:Feedback:Providers:N</c>: one upstream ESP whose event webhook posts to
/// <c>/api/v1/feedback/{Name}</c>, the secret that proves a request is its, and the tenant its
/// events are about. Secrets come only from configuration.
/// </summary>
public sealed class FeedbackProviderOptions
{
    /// <summary><c>mailgun</c>, <c>postmark</c>, <c>sendgrid</c> or <c>ses</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The tenant the events are attributed to (a configured tenant id); none for the gateway's own mail.</summary>
    public string? Tenant { get; set; }

    /// <summary>Mailgun: the HTTP webhook signing key (Mailgun, Sending, Webhooks).</summary>
    public string? SigningKey { get; set; }

    /// <summary>Postmark: the basic-auth credentials put in the webhook URL (<c>https://user:password@host/...</c>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>SendGrid: the signed Event Webhook's verification key (base64 DER of an ECDSA P-256 public key).</summary>
    public string? PublicKey { get; set; }

    /// <summary>SES: the ARN of the SNS topic the notifications come from.</summary>
    public string? TopicArn { get; set; }
}
