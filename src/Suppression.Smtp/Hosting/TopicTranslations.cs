using Microsoft.Extensions.Configuration;

namespace Suppression.Smtp.Hosting;

/// <summary>
/// Reads the plain <c>Suppression:Tenants:N:Topics:M:Name</c> and <c>Description</c> into the bound
/// topics' <see cref="Tenants.TopicText.Default"/>: the binder fills their translations
/// (<c>Name:&lt;language&gt;</c>) and ignores a key's own value when it has children.
/// </summary>
public static class TopicTranslations
{
    public static void Read(IConfigurationSection suppression, SmtpGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        ArgumentNullException.ThrowIfNull(options);
        var tenants = options.Tenants ?? [];
        for (var i = 0; i < tenants.Length; i++)
        {
            var topics = tenants[i]?.Topics ?? [];
            for (var j = 0; j < topics.Length; j++)
            {
                if (topics[j] is { } topic)
                {
                    var section = suppression.GetSection($"Tenants:{i}:Topics:{j}");
                    (topic.Name ??= new()).Default = section["Name"];
                    (topic.Description ??= new()).Default = section["Description"];
                }
            }
        }
    }
}
