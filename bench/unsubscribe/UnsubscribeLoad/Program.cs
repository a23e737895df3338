using System.Globalization;
using Suppression.Addresses;
using Suppression.Bench.Unsubscribe;
using Suppression.Unsubscribe;

// Load client for POST /u/{token} (RFC 8058 one-click): see bench/README.md.
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

if (!LoadOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync("UnsubscribeLoad: " + error + Environment.NewLine + LoadOptions.Usage);
    return 2;
}

if (!TokenKeyRing.TryParse([options.TokenKey], out var keyRing, out error))
{
    await Console.Error.WriteLineAsync("UnsubscribeLoad: --token-key " + error);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// One distinct recipient per request, so every measured POST is a new write, not "already present".
// Tokens are minted before the clock starts: the client's AES-GCM is not the server's cost.
var codec = new UnsubscribeTokenCodec(keyRing);
var issuedAt = DateTimeOffset.UtcNow;
List<NormalizedAddress> Recipients(string prefix, int count) => Enumerable.Range(0, count).Select(n =>
    AddressNormalizer.TryNormalize(string.Create(CultureInfo.InvariantCulture, $"bench-{options.RunId}-{prefix}{n}@example.com"), out var address, out var reason)
        ? address
        : throw new InvalidOperationException(reason)).ToList();
List<Uri> Links(List<NormalizedAddress> recipients) =>
    recipients.Select(recipient => new Uri(options.BaseUrl, "u/" + codec.Encode(new UnsubscribeToken(recipient, tenant: null, topic: null, issuedAt)))).ToList();

var measuredRecipients = Recipients(string.Empty, options.Requests);
var warmupLinks = Links(Recipients("w", options.Warmup));
var measuredLinks = Links(measuredRecipients);

using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseCookies = false,
    UseProxy = false,
    AllowAutoRedirect = false,
})
{
    Timeout = TimeSpan.FromSeconds(30),
};

var failed = false;
if (warmupLinks.Count > 0)
{
    var warmup = await OneClickLoad.RunAsync(client, warmupLinks, options.Concurrency, rate: 0, cancellation.Token, options.RawClient ? options.BaseUrl : null);
    failed |= Report("warmup", warmup);
}

var measured = await OneClickLoad.RunAsync(client, measuredLinks, options.Concurrency, options.Rate, cancellation.Token, options.RawClient ? options.BaseUrl : null);
Console.WriteLine(measured.ToFigures(options.Concurrency));
failed |= Report("measured", measured);

if (options.Verify > 0)
{
    var problems = new List<string>();
    for (var i = 0; i < options.Verify; i++)
    {
        var recipient = measuredRecipients[(int)((long)i * options.Requests / options.Verify)];
        if (await SuppressionCheck.ProblemWithAsync(client, options.BaseUrl, options.AdminKey!, recipient, cancellation.Token) is { } problem)
        {
            problems.Add(problem);
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verified={options.Verify - problems.Count}/{options.Verify}"));
    foreach (var problem in problems.Take(5))
    {
        await Console.Error.WriteLineAsync("UnsubscribeLoad: not suppressed: " + problem);
    }

    failed |= problems.Count > 0;
}

return failed ? 1 : 0;

static bool Report(string phase, LoadResult result)
{
    foreach (var (failure, count) in result.Failures.OrderByDescending(pair => pair.Value).Take(10))
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"UnsubscribeLoad: {phase}: {count} x {failure}"));
    }

    return result.Failed > 0;
}
