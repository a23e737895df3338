using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A whole Postfix MTA (master, smtpd, cleanup, qmgr, trivial-rewrite, smtp) as the gateway's upstream,
/// with Postfix's default address rewriting (percent hack, bang paths, dequoting) and
/// <c>mydestination = localhost</c>. It relays every non-local recipient to <c>relayPort</c> on
/// loopback. It runs from its own configuration, queue and data directories under a temporary
/// directory (<c>postfix -c</c>), never the system's, and is stopped on dispose.
/// </summary>
public sealed class PostfixUpstream : IAsyncDisposable
{
    public const string PostfixPath = "/usr/sbin/postfix";

    private readonly Process _master;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PostfixUpstream(Process master, string directory, int port)
    {
        _master = master;
        _directory = directory;
        Port = port;
    }

    /// <summary>Why a private Postfix cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        !File.Exists(PostfixPath) ? $"Postfix is not installed at {PostfixPath} (Debian: apt-get install postfix)."
        : OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess ? "Postfix's master daemon must be started as root."
        : null;

    public int Port { get; }

    private string ConfigDirectory => Path.Combine(_directory, "etc");

    /// <summary>What Postfix logged so far (its maillog goes to the master's stdout), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<PostfixUpstream> StartAsync(int relayPort)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException(Unavailable);
        }

        var directory = Directory.CreateTempSubdirectory("suppression-postfix-upstream-").FullName;

        // The daemons run as the postfix user and must reach the queue below this directory.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var config = Directory.CreateDirectory(Path.Combine(directory, "etc")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "queue"));
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {directory}/queue
            data_directory = {directory}/data
            myhostname = upstream.test
            mydomain = upstream.test
            mydestination = localhost, $myhostname
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            smtpd_recipient_restrictions = permit_mynetworks, reject
            relayhost = [127.0.0.1]:{relayPort}
            alias_maps =
            alias_database =
            maillog_file = /dev/stdout
            """);

        // Debian's master.cf less the chroot (a chroot needs files copied into the queue directory)
        // and the services nothing here uses.
        await File.WriteAllTextAsync(Path.Combine(config, "master.cf"), $"""
            127.0.0.1:{port} inet n - n - - smtpd
            pickup    unix  n - n 60 1 pickup
            cleanup   unix  n - n -  0 cleanup
            qmgr      unix  n - n 300 1 qmgr
            rewrite   unix  - - n -  - trivial-rewrite
            bounce    unix  - - n -  0 bounce
            defer     unix  - - n -  0 bounce
            trace     unix  - - n -  0 bounce
            verify    unix  - - n -  1 verify
            flush     unix  n - n 1000? 0 flush
            proxymap  unix  - - n -  - proxymap
            smtp      unix  - - n -  - smtp
            relay     unix  - - n -  - smtp
            error     unix  - - n -  - error
            retry     unix  - - n -  - error
            discard   unix  - - n -  - discard
            local     unix  - n n -  - local
            anvil     unix  - - n -  1 anvil
            scache    unix  - - n -  1 scache
            postlog   unix-dgram n - n - 1 postlogd
            """);

        // "check" creates the queue's subdirectories and the data directory with the owners and modes Postfix wants.
        try
        {
            await RunPostfixAsync(config, "check");
        }
        catch (InvalidOperationException)
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var start = new ProcessStartInfo(PostfixPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("start-fg");
        var master = Process.Start(start) ?? throw new InvalidOperationException("postfix did not start");
        var upstream = new PostfixUpstream(master, directory, port);
        master.OutputDataReceived += (_, line) => upstream.Append(line.Data);
        master.ErrorDataReceived += (_, line) => upstream.Append(line.Data);
        master.BeginOutputReadLine();
        master.BeginErrorReadLine();
        await upstream.WaitUntilListeningAsync();
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_master.HasExited)
        {
            // "stop" asks the master to end its daemons and itself; a kill is the fallback.
            try
            {
                await RunPostfixAsync(ConfigDirectory, "stop");
            }
            catch (InvalidOperationException)
            {
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _master.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _master.Kill(entireProcessTree: true);
            }
        }

        _master.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task RunPostfixAsync(string config, string command)
    {
        var start = new ProcessStartInfo(PostfixPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"postfix {command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postfix {command} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_master.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException exception)
            {
                var log = Log;
                await DisposeAsync();
                throw new InvalidOperationException($"Postfix is not listening on port {Port}: {exception.Message}; its log: {log}");
            }
        }
    }
}
