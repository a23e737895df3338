using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Suppression.Cli.Gateway;

/// <summary>
/// The gateway's HTTP API, authenticated with the bearer key. One HttpClient with no overall
/// timeout, because imports and exports run as long as their files; only connecting is bounded.
/// Responses are returned as soon as their headers arrive, so bodies can be streamed.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;

    public GatewayClient(GatewayConnection connection)
    {
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout })
        {
            BaseAddress = connection.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.ApiKey);
    }

    /// <summary>Any status; the caller decides what a non-success means (lookup's 404, for one).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>A 2xx response, or <see cref="GatewayProblemException"/> carrying the gateway's problem document.</summary>
    public async Task<HttpResponseMessage> SendSuccessfulAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayProblemException(await ProblemDetails.ReadAsync(response, cancellationToken));
        }
    }

    public async Task<T> SendForJsonAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendSuccessfulAsync(request, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(GatewayJson.Options, cancellationToken)
            ?? throw new GatewayProblemException(new ProblemDetails("Unexpected response", $"{request.RequestUri} returned an empty body.", (int)response.StatusCode));
    }

    public void Dispose() => _http.Dispose();
}
