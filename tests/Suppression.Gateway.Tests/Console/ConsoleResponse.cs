using System.Net;
using System.Net.Http.Headers;

namespace Suppression.Gateway.Tests.Console;

/// <summary>One console answer, read whole: status, headers (response and content together) and body.</summary>
public sealed record ConsoleResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public string? Location => Headers.Location?.OriginalString;

    public IEnumerable<string> SetCookies => Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    public override string ToString() => $"{(int)Status} {Status}, Location {Location}: {Body}";
}
