using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Postfix smtp-sink process on a free loopback port, dumping each transaction to a file
/// (man smtp-sink, "DUMP FILE FORMAT"): its own X-Client-*, X-Mail-Args, X-Rcpt-Args and Received
/// lines, then the message as received, LF line endings, dot-unstuffed.
/// </summary>
public sealed class PostfixSmtpSink : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/sbin/smtp-sink";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PostfixSmtpSink(Process process, int port, string dumpDirectory)
    {
        _process = process;
        Port = port;
        DumpDirectory = dumpDirectory;
    }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public int Port { get; }

    public string DumpDirectory { get; }

    /// <param name="options">Extra smtp-sink options, e.g. ["-f", "."] to refuse the final dot with 5xx.</param>
    public static async Task<PostfixSmtpSink> StartAsync(params string[] options)
    {
        var dumpDirectory = Directory.CreateTempSubdirectory("suppression-postfix-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // As root smtp-sink must drop privileges (-u), and then writes its dumps as that user.
        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dumpDirectory, (UnixFileMode)0b111_111_111);
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("nobody");
        }

        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        // "%M." is the minute, then smtp-sink appends a random hex number: one file per transaction.
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add(Path.Combine(dumpDirectory, "%M."));
        start.ArgumentList.Add($"127.0.0.1:{port}");
        start.ArgumentList.Add("100");

        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start");
        var sink = new PostfixSmtpSink(process, port, dumpDirectory);
        process.OutputDataReceived += (_, line) => sink.Append(line.Data);
        process.ErrorDataReceived += (_, line) => sink.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await sink.WaitUntilListeningAsync();
        return sink;
    }

    /// <summary>The complete dump files so far (a dump ends with the empty line smtp-sink adds after the message).</summary>
    public IReadOnlyList<string> Dumps() =>
        Directory.GetFiles(DumpDirectory).Select(File.ReadAllText).Where(text => text.EndsWith("\n\n", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DumpDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException exception)
            {
                await DisposeAsync();
                lock (_output)
                {
                    throw new InvalidOperationException($"smtp-sink is not listening on port {Port}: {exception.Message}; its output: {_output}");
                }
            }
        }
    }
}
