using System.Diagnostics;
using OpenTelemetry;
using Suppression.Addresses;

namespace Suppression.Gateway.Telemetry;

/// <summary>
/// Runs on every span before it is exported. An HTTP server span keeps its route template, never its
/// path: a path can hold an address (<c>/api/v1/suppressions/{address}</c>) or an unsubscribe token,
/// which is as good as the recipient's consent. Any other string tag holding something like an
/// address is redacted as a last line of defence; the gateway's own spans carry none to begin with.
/// </summary>
internal sealed class SpanRedaction : BaseProcessor<Activity>
{
    private static readonly string[] PathTags = ["url.path", "http.target"];
    private static readonly string[] UrlTags = ["url.full", "url.query", "http.url"];

    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == GatewayTelemetry.AspNetCoreSource)
        {
            var route = data.GetTagItem("http.route") as string;
            foreach (var tag in PathTags)
            {
                if (data.GetTagItem(tag) is not null)
                {
                    data.SetTag(tag, route ?? "[path withheld]");
                }
            }

            foreach (var tag in UrlTags)
            {
                data.SetTag(tag, null);
            }

            data.DisplayName = $"{data.GetTagItem("http.request.method") ?? "HTTP"} {route}".TrimEnd();
        }

        List<KeyValuePair<string, string?>>? redacted = null;
        foreach (var tag in data.Tags)
        {
            if (tag.Value is { } value && value.Contains('@', StringComparison.Ordinal))
            {
                (redacted ??= []).Add(new(tag.Key, AddressRedaction.Redact(value)));
            }
        }

        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }
    }
}
