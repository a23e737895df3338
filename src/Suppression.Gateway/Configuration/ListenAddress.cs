using System.Net;

namespace Suppression.Gateway.Configuration;

/// <summary>Parses bind addresses the way operators write them: an IP, "localhost", or "*"/"+" for all interfaces.</summary>
public static class ListenAddress
{
    public static bool TryParse(string? text, out IPAddress address)
    {
        switch (text)
        {
            case "localhost":
                address = IPAddress.Loopback;
                return true;
            case "*" or "+" or "0.0.0.0":
                address = IPAddress.Any;
                return true;
            case "::" or "[::]":
                address = IPAddress.IPv6Any;
                return true;
            default:
                return IPAddress.TryParse(text?.Trim('[', ']'), out address!);
        }
    }

    public static IPAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a listen address");

    /// <summary>The HTTP listen URLs from <c>urls</c> (ASPNETCORE_URLS or --urls), default http://127.0.0.1:8080.</summary>
    public static List<Uri> ParseUrls(string? urls, List<string> errors)
    {
        var result = new List<Uri>();
        var errorsBefore = errors.Count;
        foreach (var text in (string.IsNullOrWhiteSpace(urls) ? "http://127.0.0.1:8080" : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "http://*:8080" and "http://+:8080" are not valid URIs; map them to a parseable host.
            var normalized = text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !TryParse(uri.Host, out _))
            {
                errors.Add($"urls: '{text}' is not an http://<ip>:<port> address (terminate TLS in front of the gateway)");
                continue;
            }

            result.Add(uri);
        }

        // One line per bad key: an address that did not parse has already said what is wrong with "urls".
        if (result.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add("urls: no HTTP address to listen on");
        }

        return result;
    }
}
