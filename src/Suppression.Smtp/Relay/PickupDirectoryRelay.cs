using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Suppression.Smtp.Relay;

/// <summary>
/// Used when no upstream is configured: one .eml per message, envelope first as X-Sender and
/// X-Receiver lines (the pickup-directory convention), written under a temporary name and renamed
/// so a reader never sees half a file.
/// </summary>
public sealed class PickupDirectoryRelay : IMessageRelay
{
    private readonly string _directory;
    private readonly TimeProvider _time;

    /// <param name="time">The clock the files' names start with.</param>
    public PickupDirectoryRelay(string directory, TimeProvider time)
    {
        _directory = directory;
        _time = time;
        Directory.CreateDirectory(directory);
    }

    public async Task<RelayResult> RelayAsync(RelayEnvelope envelope, MimeMessage message, CancellationToken cancellationToken)
    {
        // Each recipient's copy is a file of its own, and copies of one message are written in the
        // same millisecond: the random part keeps them (and other instances' files) apart.
        var name = $"{_time.GetUtcNow():yyyyMMddHHmmssfff}-{envelope.TransactionId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var temporary = Path.Combine(_directory, name + ".tmp");
        var created = false;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true))
            {
                created = true;
                var envelopeLines = new StringBuilder().Append("X-Sender: <").Append(envelope.Sender).Append(">\r\n");
                foreach (var recipient in envelope.Recipients)
                {
                    envelopeLines.Append("X-Receiver: <").Append(recipient).Append(">\r\n");
                }

                await file.WriteAsync(Encoding.UTF8.GetBytes(envelopeLines.ToString()), cancellationToken);
                await message.WriteToAsync(RelayFormats.Wire, file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(_directory, name + ".eml"));
            return RelayResult.Accepted("written to the pickup directory as " + name + ".eml");
        }
        catch (IOException exception)
        {
            if (created)
            {
                File.Delete(temporary);
            }

            return RelayResult.Unreachable("pickup directory not writable: " + exception.Message);
        }
        catch (UnauthorizedAccessException exception)
        {
            return RelayResult.Unreachable("pickup directory not writable: " + exception.Message);
        }
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(Directory.Exists(_directory));
}
