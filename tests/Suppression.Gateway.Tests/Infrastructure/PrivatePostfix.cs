using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A whole Postfix MTA (master and its daemons) run from its own configuration, queue and data
/// directories under a temporary directory (<c>postfix -c</c>), never the system's /etc/postfix. Its
/// daemons run as the package's mail_owner and setgid_group; its maillog goes to the master's stdout
/// and is kept in <see cref="Log"/>. Created stopped, so mail can be queued before it runs; stopped
/// and removed on dispose. <see cref="PostfixUpstream"/> and <see cref="PostfixNullClient"/> configure it.
/// </summary>
public sealed class PrivatePostfix : IAsyncDisposable
{
    public const string PostfixPath = "/usr/sbin/postfix";
    private const string SendmailPath = "/usr/sbin/sendmail";
    private const string PostqueuePath = "/usr/sbin/postqueue";

    // Debian's master.cf less the chroot (a chroot needs files copied into the queue directory), the
    // local delivery agents and the services nothing here uses. An smtpd listener is added per role.
    private const string Services = """
        pickup    unix  n - n 60 1 pickup
        cleanup   unix  n - n -  0 cleanup
        qmgr      unix  n - n 300 1 qmgr
        tlsmgr    unix  - - n 1000? 1 tlsmgr
        rewrite   unix  - - n -  - trivial-rewrite
        bounce    unix  - - n -  0 bounce
        defer     unix  - - n -  0 bounce
        trace     unix  - - n -  0 bounce
        verify    unix  - - n -  1 verify
        flush     unix  n - n 1000? 0 flush
        proxymap  unix  - - n -  - proxymap
        showq     unix  n - n -  - showq
        smtp      unix  - - n -  - smtp
        relay     unix  - - n -  - smtp
        error     unix  - - n -  - error
        retry     unix  - - n -  - error
        discard   unix  - - n -  - discard
        local     unix  - n n -  - local
        anvil     unix  - - n -  1 anvil
        scache    unix  - - n -  1 scache
        postlog   unix-dgram n - n - 1 postlogd
        """;

    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private Process? _master;

    private PrivatePostfix(string directory, int? port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>Why a private Postfix cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        !File.Exists(PostfixPath) ? $"Postfix is not installed at {PostfixPath} (Debian: apt-get install postfix)."
        : OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess ? "Postfix's master daemon must be started as root."
        : null;

    /// <summary>Why its SMTP client cannot log in with PLAIN or LOGIN here, or null when it can.</summary>
    public static string? SaslPlainUnavailable =>
        new[] { "/usr/lib", "/usr/lib64" }.Where(Directory.Exists)
            .SelectMany(lib => Directory.EnumerateDirectories(lib).Append(lib))
            .Any(lib => File.Exists(Path.Combine(lib, "sasl2", "libplain.so.2")))
        ? null
        : "Cyrus SASL's PLAIN module, which Postfix's SMTP client logs in with, is not installed (Debian: apt-get install libsasl2-modules).";

    /// <summary>The loopback port of its smtpd, when it has one.</summary>
    public int? Port { get; }

    /// <summary>Where the configuration's extra files (password maps, ...) go.</summary>
    public string ConfigDirectory => Path.Combine(_directory, "etc");

    /// <summary>What Postfix logged so far, for assertions and failure messages.</summary>
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

    /// <summary>
    /// Writes main.cf (<paramref name="settings"/> after the directories, the log and no local
    /// aliases) and master.cf, with an smtpd on a free loopback port when <paramref name="listen"/>,
    /// and lets <c>postfix check</c> create the queue. Nothing runs yet.
    /// </summary>
    public static async Task<PrivatePostfix> CreateAsync(string namePrefix, string settings, bool listen, IReadOnlyDictionary<string, string>? files = null)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException(Unavailable);
        }

        var directory = Directory.CreateTempSubdirectory($"suppression-postfix-{namePrefix}-").FullName;

        // The daemons run as the postfix user and must reach the queue below this directory.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var config = Directory.CreateDirectory(Path.Combine(directory, "etc")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "queue"));
        int? port = listen ? FreePort.Next() : null;
        await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {directory}/queue
            data_directory = {directory}/data
            inet_protocols = ipv4
            alias_maps =
            alias_database =
            maillog_file = /dev/stdout
            {settings}
            """);
        var listener = port is null ? string.Empty : $"127.0.0.1:{port} inet n - n - - smtpd\n";
        await File.WriteAllTextAsync(Path.Combine(config, "master.cf"), listener + Services);
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            await File.WriteAllTextAsync(Path.Combine(config, name), content);
        }

        var postfix = new PrivatePostfix(directory, port);

        // "check" creates the queue's subdirectories and the data directory with the owners and modes Postfix wants.
        try
        {
            await RunAsync(PostfixPath, ["-c", config, "check"]);
        }
        catch (InvalidOperationException)
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        return postfix;
    }

    /// <summary>Starts the master in the foreground of a child process and waits until it runs (and listens).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(PostfixPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigDirectory);
        start.ArgumentList.Add("start-fg");
        var master = Process.Start(start) ?? throw new InvalidOperationException("postfix did not start");
        _master = master;
        master.OutputDataReceived += (_, line) => Append(line.Data);
        master.ErrorDataReceived += (_, line) => Append(line.Data);
        master.BeginOutputReadLine();
        master.BeginErrorReadLine();
        await WaitUntilRunningAsync(master);
    }

    /// <summary>Queues a message as a local program would (<c>sendmail -C</c>, through postdrop), also while Postfix is stopped.</summary>
    public async Task SubmitAsync(string sender, IEnumerable<string> recipients, string message)
    {
        await RunAsync(SendmailPath, ["-C", ConfigDirectory, "-f", sender, "-i", "--", .. recipients], message);
    }

    /// <summary>How many messages are in any of its queues (<c>postqueue -j</c>: one JSON object a line).</summary>
    public async Task<int> QueuedMessagesAsync()
    {
        var output = await RunAsync(PostqueuePath, ["-c", ConfigDirectory, "-j"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>Asks it to deliver what is queued now (<c>postqueue -f</c>) rather than at its next queue run.</summary>
    public async Task FlushAsync() => await RunAsync(PostqueuePath, ["-c", ConfigDirectory, "-f"]);

    public async ValueTask DisposeAsync()
    {
        if (_master is { } master)
        {
            if (!master.HasExited)
            {
                // "stop" asks the master to end its daemons and itself; a kill is the fallback.
                try
                {
                    await RunAsync(PostfixPath, ["-c", ConfigDirectory, "stop"]);
                }
                catch (InvalidOperationException)
                {
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await master.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    master.Kill(entireProcessTree: true);
                }
            }

            master.Dispose();
            _master = null;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }

        return await output;
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

    // The master writes its pid file once it runs; its listeners open right after.
    private async Task WaitUntilRunningAsync(Process master)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                await RunAsync(PostfixPath, ["-c", ConfigDirectory, "status"]);
                if (Port is { } port)
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                }

                return;
            }
            catch (Exception exception) when (exception is SocketException or InvalidOperationException)
            {
                if (DateTime.UtcNow >= deadline || master.HasExited)
                {
                    var log = Log;
                    await DisposeAsync();
                    throw new InvalidOperationException($"Postfix did not start: {exception.Message}; its log: {log}");
                }

                await Task.Delay(100);
            }
        }
    }
}
