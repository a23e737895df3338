using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Suppression.Configuration;
using Suppression.Gateway.Unsubscribe;
using Suppression.Smtp.Hosting;
using Suppression.Smtp.Tenants;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// The tenants' catalogue and branding keys (<c>DisplayName</c>, <c>PrivacyUrl</c>, <c>AccentColor</c>, <c>LogoFile</c>, each topic's <c>Name</c>,
/// <c>Description</c>, <c>Visible</c> and their languages): only the host's preference page uses
/// them, so the host checks them, one line per bad key.
/// </summary>
public sealed partial class TenantCatalogueValidation : IValidateOptions<SmtpGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        var tenants = options.Tenants ?? [];
        for (var i = 0; i < tenants.Length; i++)
        {
            if (tenants[i] is not { } tenant)
            {
                continue;
            }

            var key = $"Suppression:Tenants:{i}";
            problems.Check(tenant.DisplayName is null || SenderCatalogue.IsDisplayableName(tenant.DisplayName), $"{key}:DisplayName",
                "must be 1-100 characters without control characters");

            // A privacy notice reached over plain http can be swapped on the way; the page links only https.
            problems.Check(
                tenant.PrivacyUrl is null || (Uri.TryCreate(tenant.PrivacyUrl, UriKind.Absolute, out var privacy) && privacy.Scheme == Uri.UriSchemeHttps),
                $"{key}:PrivacyUrl", $"'{tenant.PrivacyUrl}' is not an absolute https URL");
            if (tenant.AccentColor is not null && !AccentColor.TryParse(tenant.AccentColor, out _, out var colorProblem))
            {
                problems.Add($"{key}:AccentColor", colorProblem!);
            }

            if (tenant.LogoFile is { } logo && SenderLogo.TryRead(logo, out var logoProblem) is null)
            {
                problems.Add($"{key}:LogoFile", logoProblem!);
            }

            var topics = tenant.Topics ?? [];
            for (var j = 0; j < topics.Length; j++)
            {
                if (topics[j] is { } topic)
                {
                    ValidateTopic($"{key}:Topics:{j}", topic, problems);
                }
            }
        }

        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }

    private static void ValidateTopic(string key, TopicOptions topic, ConfigurationProblems problems)
    {
        var name = topic.Name?.Default;
        var description = topic.Description?.Default;
        if (topic.Visible == true && string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{key}:Name", "must be set: the topic is Visible, so the preference page names it");
        }
        else if (name is not null && !SenderCatalogue.IsDisplayableName(name))
        {
            problems.Add($"{key}:Name", "must be 1-100 characters without control characters");
        }

        if (description is not null && !IsDisplayableText(description))
        {
            problems.Add($"{key}:Description", "must be 1-500 characters without control characters");
        }

        foreach (var (language, text) in topic.Name ?? [])
        {
            CheckTranslation($"{key}:Name:{language}", language, SenderCatalogue.IsDisplayableName(text), "1-100", name, $"{key}:Name", problems);
        }

        foreach (var (language, text) in topic.Description ?? [])
        {
            CheckTranslation($"{key}:Description:{language}", language, IsDisplayableText(text), "1-500", description, $"{key}:Description", problems);
        }
    }

    // The plain key is the default every language falls back to, so a translation needs one.
    private static void CheckTranslation(string key, string language, bool displayable, string length, string? plain, string plainKey, ConfigurationProblems problems)
    {
        if (!LanguageTag().IsMatch(language))
        {
            problems.Add(key, $"'{language}' is not a language tag (e.g. de, pt-BR)");
        }
        else if (!displayable)
        {
            problems.Add(key, $"must be {length} characters without control characters");
        }
        else if (string.IsNullOrWhiteSpace(plain))
        {
            problems.Add(key, $"needs {plainKey}, the text every other language falls back to");
        }
    }

    private static bool IsDisplayableText(string text) => text.Trim().Length is > 0 and <= 500 && !text.Any(char.IsControl);

    // BCP 47 as the page will use it: a primary language and optional subtags (de, pt-BR, zh-Hant).
    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
