using System.Buffers;
using System.CommandLine;
using System.Globalization;
using Suppression.Cli.Progress;

namespace Suppression.Cli.Commands;

/// <summary>
/// A streamed response body written to a file or to standard output as received, never held in
/// memory: exports and audit logs can be far larger than the tool.
/// </summary>
internal static class Download
{
    private const int BufferSize = 81920;

    public static Option<string> FormatOption() => new Option<string>("--format")
    {
        Description = "csv or ndjson (one JSON object per line)",
        DefaultValueFactory = _ => "csv",
    }.AcceptOnlyFromAmong("csv", "ndjson");

    public static Option<FileInfo?> OutputOption() => new("--output", "-o")
    {
        Description = "Write to this file instead of standard output (shows progress on a terminal)",
        HelpName = "file",
    };

    /// <param name="observe">Sees every chunk as it is written (the check reads its last record from them).</param>
    public static async Task SaveAsync(
        HttpResponseMessage response, FileInfo? output, Terminal terminal, CancellationToken cancellationToken, Action<ReadOnlyMemory<byte>>? observe = null)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (output is null)
        {
            await using var standardOutput = terminal.OpenStandardOutput();
            await CopyAsync(body, standardOutput, null, observe, cancellationToken);
            await standardOutput.FlushAsync(cancellationToken);
            return;
        }

        // Written beside the target and moved over it at the end, so an interrupted download never
        // leaves a truncated file under the name a later job will read.
        var partial = output.FullName + ".partial";
        using var progress = terminal.IsErrorRedirected ? null : new ProgressLine(terminal.Error, terminal.ErrorWidth(), terminal.Time);
        (long Bytes, long Lines) received;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                received = await CopyAsync(body, file, progress, observe, cancellationToken);
            }

            File.Move(partial, output.FullName, overwrite: true);
        }
        catch when (File.Exists(partial))
        {
            File.Delete(partial);
            throw;
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"wrote {received.Lines:N0} lines ({ProgressBar.FormatBytes(received.Bytes)}) to {output}");
        if (progress is null)
        {
            await terminal.Error.WriteLineAsync(summary);
        }
        else
        {
            progress.Finish(summary);
        }
    }

    private static async Task<(long Bytes, long Lines)> CopyAsync(
        Stream source, Stream destination, ProgressLine? progress, Action<ReadOnlyMemory<byte>>? observe, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long bytes = 0, lines = 0;
            var endsWithNewline = true;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                observe?.Invoke(buffer.AsMemory(0, read));
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                endsWithNewline = buffer[read - 1] == '\n';
                if (progress is { IsDue: true })
                {
                    progress.Draw(ProgressBar.RenderReceived(bytes, lines, progress.Width));
                }
            }

            return (bytes, endsWithNewline ? lines : lines + 1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
