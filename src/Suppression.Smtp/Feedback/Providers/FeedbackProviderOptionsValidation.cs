using System.Security.Cryptography;
using Suppression.Configuration;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Feedback.Providers;

/// <summary>Each provider entry names a supported provider, a configured tenant (when any) and the secret its provider signs with.</summary>
internal static class FeedbackProviderOptionsValidation
{
    // Shorter keys are guessable; Mailgun's own are 32 hex digits and more, Postmark takes any password.
    private const int MinSecretLength = 16;

    public static void Validate(FeedbackProviderOptions[] providers, TenantOptions[] tenants, ConfigurationProblems problems)
    {
        for (var index = 0; index < providers.Length; index++)
        {
            var provider = providers[index];
            var key = $"Suppression:Feedback:Providers:{index}";
            if (!FeedbackProviderNames.Supported.Contains(provider.Name, StringComparer.Ordinal))
            {
                problems.Add($"{key}:Name", $"'{provider.Name}' is not a provider this version reads ({string.Join(", ", FeedbackProviderNames.Supported)})");
                continue;
            }

            if (!string.IsNullOrEmpty(provider.Tenant) && !tenants.Any(tenant => string.Equals(tenant.Id, provider.Tenant, StringComparison.Ordinal)))
            {
                problems.Add($"{key}:Tenant", $"'{provider.Tenant}' is not a configured tenant (Suppression:Tenants:N:Id)");
            }

            switch (provider.Name)
            {
                case FeedbackProviderNames.Mailgun:
                    problems.Check(provider.SigningKey is { Length: >= MinSecretLength }, $"{key}:SigningKey",
                        $"Mailgun's webhook signing key is required (at least {MinSecretLength} characters)");
                    break;
                case FeedbackProviderNames.Postmark:
                    problems.Check(!string.IsNullOrEmpty(provider.Username) && !provider.Username.Contains(':', StringComparison.Ordinal), $"{key}:Username",
                        "a user name without ':' is required (basic auth)");
                    problems.Check(provider.Password is { Length: >= MinSecretLength }, $"{key}:Password", $"a password of at least {MinSecretLength} characters is required");
                    break;
                case FeedbackProviderNames.SendGrid:
                    problems.Check(IsP256PublicKey(provider.PublicKey), $"{key}:PublicKey",
                        "the Event Webhook's verification key is required: the base64 ECDSA P-256 public key SendGrid shows");
                    break;
                case FeedbackProviderNames.Ses:
                    problems.Check(provider.TopicArn is { } arn && arn.StartsWith("arn:aws", StringComparison.Ordinal) && arn.Contains(":sns:", StringComparison.Ordinal),
                        $"{key}:TopicArn", "the ARN of the SNS topic SES publishes to is required (arn:aws:sns:<region>:<account>:<topic>)");
                    break;
            }
        }

        var duplicates = providers.GroupBy(provider => (provider.Name, provider.SigningKey, provider.Username, provider.PublicKey, provider.TopicArn)).Where(group => group.Count() > 1).Select(group => group.Key.Name);
        foreach (var name in duplicates.Distinct())
        {
            problems.AddLine($"Suppression:Feedback:Providers: two {name} entries have the same credentials, so a request could not say which tenant it is for");
        }
    }

    private static bool IsP256PublicKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            return key.KeySize == 256;
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
