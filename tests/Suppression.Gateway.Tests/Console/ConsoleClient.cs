using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// A browser as far as the console can tell over HTTP: it keeps cookies, does not follow redirects
/// (the tests look at them), and sends forms with the antiforgery token the page it came from
/// carried. It can connect from another loopback address, as another client would. Any 5xx fails
/// the test with the server's log.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    public const string SessionCookieName = "suppression-console";

    private readonly HttpClient _http;
    private readonly Func<string> _serverLog;

    public ConsoleClient(GatewayInstance gateway, IPAddress? from, Func<string> serverLog)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}");
        _serverLog = serverLog;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        _http = new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; } = new();

    public string? SessionCookie => Cookies.GetCookies(new Uri(BaseAddress, "/console/"))[SessionCookieName]?.Value;

    public Task<ConsoleResponse> GetAsync(string pathAndQuery) => SendAsync(new HttpRequestMessage(HttpMethod.Get, pathAndQuery));

    /// <summary>A POST with exactly these fields: no token is added.</summary>
    public Task<ConsoleResponse> PostAsync(string path, params (string Name, string Value)[] fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value))),
        });

    /// <summary>Loads <paramref name="page"/>, then posts <paramref name="fields"/> to <paramref name="action"/> with the token the page carried.</summary>
    public async Task<ConsoleResponse> SubmitAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var form = await GetAsync(page);
        Assert.True(form.Status == HttpStatusCode.OK, $"GET {page}: {form}");
        return await PostAsync(action, [("__RequestVerificationToken", TokenIn(form.Body)), .. fields]);
    }

    public async Task SignInAsync(string key)
    {
        var signedIn = await SubmitAsync("/console/login", "/console/login", ("key", key));
        Assert.True(signedIn.Status == HttpStatusCode.SeeOther && signedIn.Location == "/console", $"sign-in: {signedIn}");
    }

    public static string TokenIn(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "the page has no antiforgery token field");
        return WebUtility.HtmlDecode(match.Groups["token"].Value);
    }

    public void Dispose() => _http.Dispose();

    private async Task<ConsoleResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                throw new Xunit.Sdk.XunitException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}{Environment.NewLine}Server log: {_serverLog()}");
            }

            return new ConsoleResponse(response.StatusCode, body, response.Headers, response.Content.Headers);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
