namespace Suppression.Cli.Tests.Infrastructure;

/// <param name="StandardOutputBytes">What was written to standard output as bytes (downloads), apart from <paramref name="Out"/>.</param>
public sealed record CliResult(int ExitCode, string Out, string Error, byte[] StandardOutputBytes);
