using System.Globalization;
using Suppression.Redis.Embedded;

namespace Suppression.Redis.Tests;

// The test assembly doubles as a child process that hosts an embedded server, so a test can kill
// a real process (no dispose, no flush) and check what survives. The test host never calls Main.
public static class Program
{
    public const string EmbeddedServerCommand = "embedded-server";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [EmbeddedServerCommand, var dataDirectory])
        {
            await Console.Error.WriteLineAsync($"usage: {EmbeddedServerCommand} <data directory>");
            return 2;
        }

        await using var server = await EmbeddedRedisServer.StartAsync(dataDirectory, loggerFactory: null, CancellationToken.None);
        Console.WriteLine(server.Port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();

        // Runs until killed; a closed stdin (the test run ended) shuts down cleanly instead.
        await Console.In.ReadLineAsync();
        return 0;
    }
}
