
namespace Suppression.Smtp.Delivery;

/// <summary>
/// Holds one message between the client's DATA and the upstream's reply: in memory up to a bound,
/// then in a temporary file that is deleted when the spool is disposed. Never a queue: it lives
/// only as long as the client waits for its reply.
/// </summary>
public sealed class MessageSpool : IAsyncDisposable, IDisposable
{
    private readonly int _memoryLimit;
    private readonly string? _directory;
    private MemoryStream? _memory = new();
    private FileStream? _file;

    public MessageSpool(int memoryLimit, string? directory = null)
    {
        _memoryLimit = memoryLimit;

        // The temporary directory is looked up only when a message outgrows memory: Path.GetTempPath
        // reads TMPDIR from the environment on each call, once per message otherwise.
        _directory = directory;
    }

    public long Length => _file?.Length ?? _memory!.Length;

    public bool IsInMemory => _file is null && Failure is null;

    /// <summary>
    /// Why the message could not be buffered (the temporary directory is full, read-only or gone),
    /// or null. Writes after a failure are discarded, so the session can read the data to its end,
    /// stay in step with the client, and answer 451 instead of dropping the connection.
    /// </summary>
    public string? Failure { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Failure is not null)
        {
            return;
        }

        try
        {
            WriteBuffered(bytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Failure = exception.Message;
            _file?.Dispose();
            _file = null;
            _memory = null;
        }
    }

    private void WriteBuffered(ReadOnlySpan<byte> bytes)
    {
        if (_file is null && _memory!.Length + bytes.Length > _memoryLimit)
        {
            _file = new FileStream(
                Path.Combine(_directory ?? Path.GetTempPath(), "suppression-spool-" + Guid.NewGuid().ToString("N") + ".tmp"),
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.None,
                bufferSize: 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            _memory.Position = 0;
            _memory.CopyTo(_file);
            _memory = null;
        }

        if (_file is not null)
        {
            _file.Write(bytes);
        }
        else
        {
            _memory!.Write(bytes);
        }
    }

    /// <summary>A seekable view of everything written so far, from the start.</summary>
    public Stream OpenRead()
    {
        if (_file is not null)
        {
            _file.Flush();
            _file.Position = 0;
            return _file;
        }

        return new MemoryStream(_memory!.GetBuffer(), 0, (int)_memory.Length, writable: false);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _memory = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }

        _memory = null;
    }
}
