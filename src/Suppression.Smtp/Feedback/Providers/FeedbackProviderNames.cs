namespace Suppression.Smtp.Feedback.Providers;

/// <summary>The provider names of <c>/api/v1/feedback/{provider}</c> and <c>Suppression:Feedback:Providers:N:Name</c>, in one place.</summary>
public static class FeedbackProviderNames
{
    public const string Mailgun = "mailgun";

    public const string Postmark = "postmark";

    public const string SendGrid = "sendgrid";

    public const string Ses = "ses";

    /// <summary>The providers this version reads; a configured name outside it is a configuration error.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Mailgun, Postmark, SendGrid, Ses];
}
