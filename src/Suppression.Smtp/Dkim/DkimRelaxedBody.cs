using System.Buffers;
using System.Security.Cryptography;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// The body hash of RFC 6376 3.7 (<c>bh=</c>) over the "relaxed" body canonicalization of 3.4.4,
/// computed as the bytes stream past: trailing white space of each line is ignored, other runs of
/// white space become one SP, empty lines at the end are ignored, and a non-empty body that does not
/// end in CRLF gets one. An empty body (or one of empty lines only) canonicalizes to the empty
/// string, unlike "simple" (3.4.3), which makes it a CRLF.
/// </summary>
internal sealed class DkimRelaxedBody : IDisposable
{
    private static readonly SearchValues<byte> Special = SearchValues.Create(" \t\r"u8);

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _output = new byte[8192];
    private int _outputLength;

    // Held back until a later byte shows what they are: white space that is trailing if the line
    // ends next, empty lines that are trailing if the body ends next, a CR that may begin a CRLF.
    private bool _pendingSpace;
    private long _pendingEmptyLines;
    private bool _pendingCarriageReturn;
    private bool _lineHasContent;

    /// <summary>The base64 SHA-256 of the relaxed body read from <paramref name="body"/>'s position to its end.</summary>
    public static string Hash(Stream body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var canonical = new DkimRelaxedBody();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = body.Read(buffer, 0, buffer.Length)) > 0)
            {
                canonical.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToBase64String(canonical.Finish());
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (bytes[i] == '\n')
                {
                    EndLine();
                    i++;
                    continue;
                }

                // A CR alone is no line end; the DATA reader refuses it for relayed mail anyway.
                Content("\r"u8);
            }

            var run = bytes[i..].IndexOfAny(Special);
            if (run < 0)
            {
                Content(bytes[i..]);
                return;
            }

            if (run > 0)
            {
                Content(bytes.Slice(i, run));
                i += run;
            }

            if (bytes[i] == '\r')
            {
                _pendingCarriageReturn = true;
            }
            else
            {
                _pendingSpace = true;
            }

            i++;
        }
    }

    public byte[] Finish()
    {
        if (_pendingCarriageReturn)
        {
            _pendingCarriageReturn = false;
            Content("\r"u8);
        }

        // A last line without CRLF gets one; its trailing white space and the empty lines before
        // the end are left out, as for any other line.
        if (_lineHasContent)
        {
            Write("\r\n"u8);
        }

        Flush();
        return _hash.GetHashAndReset();
    }

    public void Dispose() => _hash.Dispose();

    private void Content(ReadOnlySpan<byte> bytes)
    {
        for (; _pendingEmptyLines > 0; _pendingEmptyLines--)
        {
            Write("\r\n"u8);
        }

        if (_pendingSpace)
        {
            Write(" "u8);
            _pendingSpace = false;
        }

        Write(bytes);
        _lineHasContent = true;
    }

    private void EndLine()
    {
        _pendingSpace = false;
        if (_lineHasContent)
        {
            Write("\r\n"u8);
            _lineHasContent = false;
        }
        else
        {
            _pendingEmptyLines++;
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (_outputLength + bytes.Length > _output.Length)
        {
            Flush();
            if (bytes.Length > _output.Length)
            {
                _hash.AppendData(bytes);
                return;
            }
        }

        bytes.CopyTo(_output.AsSpan(_outputLength));
        _outputLength += bytes.Length;
    }

    private void Flush()
    {
        _hash.AppendData(_output, 0, _outputLength);
        _outputLength = 0;
    }
}
