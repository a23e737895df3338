namespace Suppression.Cli.Commands;

/// <summary>The command line cannot be run as given: exit code 2, like System.CommandLine's own parse errors.</summary>
internal sealed class CommandUsageException(string message) : Exception(message);
