namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// Fails the request (and so the test) on any 5xx: whatever a client sends, the API answers with a
/// status the client can act on, never an internal error.
/// </summary>
public sealed class NoServerErrorsHandler(Func<string>? serverLog = null) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new Xunit.Sdk.XunitException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}{Environment.NewLine}Server log: {serverLog?.Invoke()}");
        }

        return response;
    }
}
