using System.Globalization;
using System.Text;

namespace Suppression.Testing.Fuzzing;

/// <summary>
/// Runs a check over seeded random inputs. The defaults keep every fuzz test to a fraction of a
/// second in CI; <c>SUPPRESSION_FUZZ_ITERATIONS</c> (iterations per test) and
/// <c>SUPPRESSION_FUZZ_SEED</c> (a number, or <c>random</c>) make a longer or a different run.
/// Each iteration draws from its own generator, seeded from the run's seed and the iteration's
/// number, so a failure is reproduced by the two numbers in its message; the input that failed is
/// shrunk (pieces cut out while it still fails) and printed as a C# literal, ready for a
/// regression test.
/// </summary>
public static class Fuzz
{
    public const string IterationsVariable = "SUPPRESSION_FUZZ_ITERATIONS";
    public const string SeedVariable = "SUPPRESSION_FUZZ_SEED";

    private const int MaxShrinkAttempts = 4000;

    private static readonly int? RandomSeed = NewRandomSeed();

    public static int Iterations(int defaultIterations) =>
        Environment.GetEnvironmentVariable(IterationsVariable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : defaultIterations;

    public static int Seed(int defaultSeed) =>
        Environment.GetEnvironmentVariable(SeedVariable) switch
        {
            null or "" => defaultSeed,
            "random" => RandomSeed!.Value,
            var text => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        };

    public static Task RunAsync(int defaultSeed, int defaultIterations, Func<FuzzRandom, string> generate, Action<string> check) =>
        RunAsync(defaultSeed, defaultIterations, generate, Synchronous(check), ShrinkText, Literal);

    public static Task RunAsync(int defaultSeed, int defaultIterations, Func<FuzzRandom, byte[]> generate, Action<byte[]> check) =>
        RunAsync(defaultSeed, defaultIterations, generate, Synchronous(check), ShrinkBytes, Literal);

    public static Task RunAsync(int defaultSeed, int defaultIterations, Func<FuzzRandom, byte[]> generate, Func<byte[], Task> check) =>
        RunAsync(defaultSeed, defaultIterations, generate, check, ShrinkBytes, Literal);

    /// <summary>For inputs other than text and bytes, which are reported as <paramref name="describe"/> writes them, and not shrunk.</summary>
    public static Task RunAsync<T>(int defaultSeed, int defaultIterations, Func<FuzzRandom, T> generate, Action<T> check, Func<T, string> describe) =>
        RunAsync(defaultSeed, defaultIterations, generate, Synchronous(check), _ => [], describe);

    public static async Task RunAsync<T>(
        int defaultSeed, int defaultIterations, Func<FuzzRandom, T> generate, Func<T, Task> check, Func<T, IEnumerable<T>> shrink, Func<T, string> describe)
    {
        var seed = Seed(defaultSeed);
        var iterations = Iterations(defaultIterations);
        for (var i = 0; i < iterations; i++)
        {
            var input = generate(new FuzzRandom(IterationSeed(seed, i)));
            if (await FailureAsync(check, input) is { } failure)
            {
                var (smallest, smallestFailure) = await ShrinkAsync(input, failure, check, shrink);
                Assert.Fail(Report(seed, i, describe(input), describe(smallest), smallestFailure));
            }
        }
    }

    /// <summary>The text as a C# string literal: printable ASCII as is, everything else escaped.</summary>
    public static string Literal(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                >= ' ' and <= '~' => c.ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>The bytes as a C# expression: the UTF-8 of a string literal when they are valid UTF-8, else a byte array.</summary>
    public static string Literal(byte[] bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes)
            ? "Encoding.UTF8.GetBytes(" + Literal(Encoding.UTF8.GetString(bytes)) + ")"
            : "new byte[] { " + string.Join(", ", bytes.Select(b => string.Create(CultureInfo.InvariantCulture, $"0x{b:X2}"))) + " }";

    /// <summary>Smaller versions of a sequence: halves cut out, then quarters, and so on down to single elements.</summary>
    public static IEnumerable<T[]> ShrinkSequence<T>(T[] items)
    {
        for (var size = items.Length / 2; size >= 1; size /= 2)
        {
            for (var start = 0; start + size <= items.Length; start += size)
            {
                yield return [.. items.AsSpan(0, start), .. items.AsSpan(start + size)];
            }
        }
    }

    private static int IterationSeed(int seed, int iteration)
    {
        // SplitMix64's finalizer: neighbouring (seed, iteration) pairs give unrelated generators.
        var z = ((ulong)(uint)seed << 32) | (uint)iteration;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    private static Func<T, Task> Synchronous<T>(Action<T> check) => input =>
    {
        check(input);
        return Task.CompletedTask;
    };

    private static async Task<Exception?> FailureAsync<T>(Func<T, Task> check, T input)
    {
        try
        {
            await check(input);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    // Greedy: take the first smaller candidate that fails the same way, start over from it.
    private static async Task<(T Input, Exception Failure)> ShrinkAsync<T>(T input, Exception failure, Func<T, Task> check, Func<T, IEnumerable<T>> shrink)
    {
        var attempts = 0;
        var progress = true;
        while (progress && attempts < MaxShrinkAttempts)
        {
            progress = false;
            foreach (var candidate in shrink(input))
            {
                if (++attempts >= MaxShrinkAttempts)
                {
                    break;
                }

                if (await FailureAsync(check, candidate) is { } candidateFailure && candidateFailure.GetType() == failure.GetType())
                {
                    (input, failure, progress) = (candidate, candidateFailure, true);
                    break;
                }
            }
        }

        return (input, failure);
    }

    private static IEnumerable<string> ShrinkText(string text) => ShrinkSequence(text.ToCharArray()).Select(chars => new string(chars));

    private static IEnumerable<byte[]> ShrinkBytes(byte[] bytes) => ShrinkSequence(bytes);

    private static string Report(int seed, int iteration, string input, string? smallest, Exception failure) =>
        string.Create(CultureInfo.InvariantCulture, $"Fuzz case failed ({SeedVariable}={seed}, iteration {iteration}).\n")
        + $"Input: {input}\n"
        + (smallest is null || smallest == input ? string.Empty : $"Smallest input that still fails: {smallest}\n")
        + failure;

    private static int? NewRandomSeed() =>
        Environment.GetEnvironmentVariable(SeedVariable) == "random" ? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue) : null;
}
