using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Suppression.Bench.Unsubscribe;

/// <summary>Command-line options of the load client; see <see cref="Usage"/>.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        usage: UnsubscribeLoad --base-url URL --token-key ID:BASE64 [options]

          --base-url URL        the gateway's HTTP base, e.g. http://127.0.0.1:8080
          --token-key ID:KEY    the gateway's Suppression:Tokens:Keys entry (32 bytes, base64)
          --requests N          measured one-click POSTs (default 5000)
          --concurrency C       concurrent workers, one keep-alive connection each (default 16)
          --warmup N            unmeasured POSTs first, same concurrency (default 500; 0 skips)
          --client C            httpclient (default) or raw: one socket per worker speaking just
                                enough HTTP/1.1, for runs where the client's CPU is the gateway's
          --rate R              open loop: start the measured POSTs at R per second, whatever the
                                answers' pace (default 0: closed loop, each worker sends its next
                                POST when the last is answered)
          --run-id ID           recipients are bench-ID-<n>@example.com, warm-up ones bench-ID-w<n>
                                (letters, digits and '-'; default: the current time)
          --verify N            afterwards, look up N of the measured recipients (spread evenly)
                                through the admin API and fail unless each is suppressed (default 0)
          --admin-key KEY       bearer key for --verify (Suppression:Admin:ApiKeys entry)

        Prints one line of key=value figures; exits 1 if any response was not 200 or a lookup failed.
        """;

    public required Uri BaseUrl { get; init; }

    public required string TokenKey { get; init; }

    public int Requests { get; init; } = 5000;

    public int Concurrency { get; init; } = 16;

    public int Warmup { get; init; } = 500;

    public string RunId { get; init; } = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public int Verify { get; init; }

    /// <summary>True: the workers use <see cref="OneClickConnection"/>, not HttpClient.</summary>
    public bool RawClient { get; init; }

    /// <summary>Measured POSTs started per second (open loop); 0 for a closed loop.</summary>
    public int Rate { get; init; }

    public string? AdminKey { get; init; }

    public static bool TryParse(string[] args, [NotNullWhen(true)] out LoadOptions? options, out string error)
    {
        options = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"expected '--option value', got '{args[i]}'";
                return false;
            }

            values[args[i][2..]] = args[++i];
        }

        var unknown = values.Keys.Except(["base-url", "token-key", "requests", "concurrency", "warmup", "run-id", "verify", "admin-key", "rate", "client"]).ToList();
        if (unknown.Count > 0)
        {
            error = $"unknown option --{unknown[0]}";
            return false;
        }

        if (!values.TryGetValue("base-url", out var baseUrlText) || !Uri.TryCreate(baseUrlText.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("http" or "https"))
        {
            error = "--base-url must be an absolute http(s) URL";
            return false;
        }

        if (!values.TryGetValue("token-key", out var tokenKey))
        {
            error = "--token-key is required";
            return false;
        }

        var parsed = new LoadOptions { BaseUrl = baseUrl, TokenKey = tokenKey, AdminKey = values.GetValueOrDefault("admin-key") };
        if (!TryCount(values, "requests", 1, parsed.Requests, out var requests, out error)
            || !TryCount(values, "concurrency", 1, parsed.Concurrency, out var concurrency, out error)
            || !TryCount(values, "warmup", 0, parsed.Warmup, out var warmup, out error)
            || !TryCount(values, "verify", 0, parsed.Verify, out var verify, out error)
            || !TryCount(values, "rate", 0, parsed.Rate, out var rate, out error))
        {
            return false;
        }

        var client = values.GetValueOrDefault("client") ?? "httpclient";
        if (client is not ("httpclient" or "raw"))
        {
            error = "--client must be httpclient or raw";
            return false;
        }

        var runId = values.GetValueOrDefault("run-id") ?? parsed.RunId;
        if (runId.Length is 0 or > 40 || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            error = "--run-id must be 1-40 letters, digits or '-'";
            return false;
        }

        if (verify > 0 && string.IsNullOrEmpty(parsed.AdminKey))
        {
            error = "--verify needs --admin-key";
            return false;
        }

        options = parsed with { Requests = requests, Concurrency = concurrency, Warmup = warmup, Verify = Math.Min(verify, requests), RunId = runId, Rate = rate, RawClient = client == "raw" };
        error = string.Empty;
        return true;
    }

    private static bool TryCount(Dictionary<string, string> values, string name, int minimum, int fallback, out int value, out string error)
    {
        error = string.Empty;
        value = fallback;
        if (!values.TryGetValue(name, out var text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum)
        {
            return true;
        }

        error = $"--{name} must be a whole number of at least {minimum}";
        return false;
    }
}
