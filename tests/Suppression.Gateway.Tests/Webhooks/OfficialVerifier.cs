using System.Diagnostics;
using System.Text.Json;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>
/// tests/webhooks-verifier/verify.mjs: the official Standard Webhooks library (npm standardwebhooks,
/// installed by npm ci as pinned in its package-lock.json) verifying deliveries, as a receiver would.
/// </summary>
public static class OfficialVerifier
{
    public const string Verified = "verified";

    public static string? Directory { get; } = Find();

    /// <summary>Why the verifier cannot run here, or null when it can.</summary>
    public static string? Missing =>
        Directory is null ? "tests/webhooks-verifier was not found above " + AppContext.BaseDirectory
        : !System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "standardwebhooks")) ? $"standardwebhooks is not installed: run 'npm ci' in {Directory}."
        : null;

    public sealed record Delivery(string Secret, string Body, IReadOnlyDictionary<string, string> Headers);

    /// <returns>Per delivery, <see cref="Verified"/> or the library's reason for refusing it.</returns>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IReadOnlyList<Delivery> deliveries)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("verify.mjs");
        using var process = Process.Start(start)!;
        var input = JsonSerializer.Serialize(deliveries.Select(delivery => new { secret = delivery.Secret, body = delivery.Body, headers = delivery.Headers }));
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"verify.mjs failed: {output}{errors}");
        return JsonSerializer.Deserialize<string[]>(output)!;
    }

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "webhooks-verifier");
            if (File.Exists(Path.Combine(candidate, "verify.mjs")))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test that runs the official verifier; skipped, saying what is missing, where it cannot run.</summary>
public sealed class OfficialVerifierFactAttribute : FactAttribute
{
    public OfficialVerifierFactAttribute()
    {
        if (OfficialVerifier.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}
