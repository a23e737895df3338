using System.CommandLine;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// Runs a command against the gateway and turns every way it can end into an exit code and at
/// most one line on standard error: never a stack trace.
/// </summary>
internal sealed class GatewayCommandRunner(GatewayOptions options, Terminal terminal)
{
    public Terminal Terminal => terminal;

    public Func<ParseResult, CancellationToken, Task<int>> Action(Func<ParseResult, GatewayClient, CancellationToken, Task<int>> command) =>
        (parseResult, cancellationToken) => RunAsync(parseResult, command, cancellationToken);

    private async Task<int> RunAsync(
        ParseResult parseResult, Func<ParseResult, GatewayClient, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        GatewayConnection? connection = null;
        try
        {
            connection = GatewayConnection.Resolve(parseResult.GetValue(options.Url), parseResult.GetValue(options.ApiKey), terminal.Environment);
            using var gateway = new GatewayClient(connection);
            return await command(parseResult, gateway, cancellationToken);
        }
        catch (CommandUsageException e)
        {
            return Report("error: " + e.Message, ExitCodes.Usage);
        }
        catch (GatewayProblemException e)
        {
            return Report(e.Problem.ToMessage(), ExitCodes.Failed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Report("cancelled.", ExitCodes.Cancelled);
        }
        catch (Exception e) when (connection is not null && IsTransportFailure(e))
        {
            var reason = e is OperationCanceledException ? "no connection within the time limit" : e.Message;
            return Report($"error: cannot reach the gateway at {connection.BaseAddress}: {reason}", ExitCodes.GatewayUnreachable);
        }
        catch (Exception e)
        {
            // A local file that cannot be read or written, or a response that is not the contract's JSON.
            return Report("error: " + e.Message, ExitCodes.Failed);
        }
    }

    // HttpRequestException: refused, unresolvable, reset; HttpIOException: the body ended early;
    // OperationCanceledException without Ctrl+C: the connect timeout.
    private static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or HttpIOException or OperationCanceledException;

    private int Report(string message, int exitCode)
    {
        terminal.Error.WriteLine(message);
        return exitCode;
    }
}
