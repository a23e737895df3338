using System.Net;
using System.Net.Http.Json;

namespace Suppression.Gateway.Tests.Infrastructure;

public static class GatewayWarmUp
{
    public const string Address = "warm-up@example.invalid";

    /// <summary>
    /// Makes one suppression write and waits until it succeeds. A fresh embedded store compiles its
    /// first Lua script on the first write (about 0.3 s idle); on a loaded machine running many
    /// gateways at once that has exceeded the 3 s Redis timeout, so a test's first write answered 500.
    /// Tests of the API contract start from a warm store.
    /// </summary>
    public static async Task WarmUpAsync(this GatewayInstance gateway)
    {
        var written = await Eventually.TrueAsync(async () =>
        {
            using var response = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = Address });
            return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30));
        Assert.True(written, "the gateway's suppression store did not accept a write within 30 s");
    }
}
