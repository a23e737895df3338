using System.CommandLine;
using Suppression.Cli.Commands;

namespace Suppression.Cli;

/// <summary>The <c>suppression</c> command: its commands, and how a run becomes an exit code.</summary>
internal static class SuppressionCommandLine
{
    public static RootCommand Create(Terminal terminal)
    {
        var gatewayOptions = new GatewayOptions();
        var runner = new GatewayCommandRunner(gatewayOptions, terminal);
        return new RootCommand("Administer a running Suppression Gateway through its HTTP API.")
        {
            gatewayOptions.Url,
            gatewayOptions.ApiKey,
            new LookupCommand(runner),
            new ImportCommand(runner),
            new CheckCommand(runner),
            new ExportCommand(runner),
            new AuditCommand(runner),
            new VerifyCommand(runner),
            new EraseCommand(runner),
            new StorageCommand(runner),
            new LockoutsCommand(runner),
            new WebhooksCommand(runner),
        };
    }

    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, Terminal terminal, CancellationToken cancellationToken)
    {
        var parseResult = Create(terminal).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = terminal.Out,
            Error = terminal.Error,
            // Ctrl+C is wired to cancellationToken by the caller (Program.cs), and every command
            // catches its own exceptions, so neither of System.CommandLine's handlers is wanted.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);

        // System.CommandLine prints parse errors and help and returns 1; 1 is the gateway's "no" here.
        return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }
}
