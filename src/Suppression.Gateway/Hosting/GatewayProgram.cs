using System.Net.Sockets;

namespace Suppression.Gateway.Hosting;

/// <summary>Runs the gateway; start-up problems end the process with readable lines, never a stack trace.</summary>
/// <remarks>System.Console is spelt out: inside Suppression.Gateway, Console is the console's namespace.</remarks>
public static class GatewayProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = GatewayHost.Build(args);
        }
        catch (GatewayConfigurationException exception)
        {
            foreach (var error in exception.Errors)
            {
                await System.Console.Error.WriteLineAsync("configuration error: " + error);
            }

            return 2;
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (GatewayConfigurationException exception)
        {
            foreach (var error in exception.Errors)
            {
                await System.Console.Error.WriteLineAsync("configuration error: " + error);
            }

            return 2;
        }
        catch (Exception exception) when (exception is IOException { InnerException: SocketException } or SocketException)
        {
            await System.Console.Error.WriteLineAsync("start-up failed: " + exception.Message.ReplaceLineEndings(" "));
            return 1;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
