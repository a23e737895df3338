using MimeKit;
using Suppression.Addresses;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// One message of tests/corpus/messages as stored, and as an MTA sends it: each line with CRLF
/// (RFC 5321 2.3.8), a final line end added, lines beginning with "." dot-stuffed (4.5.2). A lone CR,
/// a NUL and a line over 1000 octets are sent as they are, for the gateway to judge.
/// </summary>
public sealed class CorpusMessage
{
    // SmtpServerOptions' defaults: MaxHeaderBytes, MaxHeaderFieldBytes.
    private const int MaxHeaderBytes = 1_048_576;
    private const int MaxHeaderFieldBytes = 102_400;

    private CorpusMessage(string file, byte[] stored)
    {
        File = file;
        Stored = stored;
        Content = WithCrlfLineEnds(stored);
        Layout = MessageLayout.Of(Content);
        Has8Bit = Array.Exists(stored, octet => octet > 127);
        HasNul = Array.IndexOf(stored, (byte)0) >= 0;
        HasMboxFromLine = stored.AsSpan().StartsWith("From "u8);
        NeedsSmtpUtf8 = Layout.HeaderBlock.Any(field => Array.Exists(field, octet => octet > 127)) && IsUtf8(Layout.HeaderBlock);
        var parsed = Parse(Content);
        RefusalReasons = FindRefusalReasons(Content);
        if (RefusalReasons.Count == 0 && parsed is null)
        {
            RefusalReasons = [ExpectedRefusal.NotInternetMessage];
        }

        // A field behind a byte-order mark is relayed but not read (the gateway reads a field only
        // where its name begins the line), so such a From is not signed.
        SigningDomain = parsed is null || Content.AsSpan().StartsWith("\uFEFFFrom:"u8) ? null : FindSigningDomain(parsed);
    }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "corpus", "messages");

    public string File { get; }

    public byte[] Stored { get; }

    /// <summary>What the upstream must receive of the client's message: the DATA content, dot-stuffing undone.</summary>
    public byte[] Content { get; }

    public MessageLayout Layout { get; }

    public bool Has8Bit { get; }

    public bool HasNul { get; }

    public bool HasMboxFromLine { get; }

    /// <summary>Non-ASCII UTF-8 in the header block: RFC 6532 header fields, which need SMTPUTF8 (RFC 6531 3.2).</summary>
    public bool NeedsSmtpUtf8 { get; }

    /// <summary>
    /// The replies the gateway may refuse it with, one per fault it has (which one the gateway names
    /// depends on which it meets first). Empty: it is relayed.
    /// </summary>
    public IReadOnlyList<ExpectedRefusal> RefusalReasons { get; }

    /// <summary>The From domain the gateway signs for (one From field, one domain), or null when it signs nothing.</summary>
    public string? SigningDomain { get; }

    public static IReadOnlyList<CorpusMessage> LoadAll() =>
        System.IO.Directory.GetFiles(Directory, "*.eml")
            .Order(StringComparer.Ordinal)
            .Select(path => new CorpusMessage(Path.GetFileName(path), System.IO.File.ReadAllBytes(path)))
            .ToList();

    /// <summary>The DATA block as transmitted: dot-stuffed, then the terminating "." line.</summary>
    public byte[] Transmitted()
    {
        using var wire = new MemoryStream(Content.Length + Content.Length / 20 + 8);
        var lineStart = true;
        foreach (var octet in Content)
        {
            if (lineStart && octet == (byte)'.')
            {
                wire.WriteByte((byte)'.');
            }

            wire.WriteByte(octet);
            lineStart = octet == (byte)'\n';
        }

        wire.Write(".\r\n"u8);
        return wire.ToArray();
    }

    private static byte[] WithCrlfLineEnds(byte[] stored)
    {
        using var content = new MemoryStream(stored.Length + stored.Length / 20 + 2);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == (byte)'\n' && (i == 0 || stored[i - 1] != (byte)'\r'))
            {
                content.WriteByte((byte)'\r');
            }

            content.WriteByte(stored[i]);
        }

        if (stored.Length > 0 && stored[^1] != (byte)'\n')
        {
            content.Write("\r\n"u8);
        }

        return content.ToArray();
    }

    // The rules of DataBlockReader and MessageShapeMeter for mail to relay: a CR only before LF, at
    // most 1000 octets a line with its CRLF (RFC 5321 4.5.3.1.6), a header block of at most 1 MiB, and
    // no header field (any line that begins with a field name, with its folded lines, wherever it is)
    // over 100 KiB.
    private static List<ExpectedRefusal> FindRefusalReasons(byte[] content)
    {
        var reasons = new HashSet<ExpectedRefusal>();
        var inHeaderBlock = true;
        long headerBytes = 0;
        long fieldBytes = 0;
        for (var lineStart = 0; lineStart < content.Length;)
        {
            var lineFeed = Array.IndexOf(content, (byte)'\n', lineStart);
            var lineEnd = lineFeed < 0 ? content.Length : lineFeed + 1;
            var line = content.AsSpan(lineStart, lineEnd - lineStart);
            lineStart = lineEnd;
            if (line.Length < 2)
            {
                continue;
            }

            if (line.Length > 1000)
            {
                reasons.Add(ExpectedRefusal.LineTooLong);
            }

            if (line[..^2].Contains((byte)'\r'))
            {
                reasons.Add(ExpectedRefusal.BareCr);
            }

            if (line[0] == (byte)'\r')
            {
                inHeaderBlock = false;
                fieldBytes = 0;
                continue;
            }

            if (inHeaderBlock && (headerBytes += line.Length) > MaxHeaderBytes)
            {
                reasons.Add(ExpectedRefusal.HeaderTooLarge);
            }

            fieldBytes = line[0] is (byte)' ' or (byte)'\t'
                ? (fieldBytes > 0 ? fieldBytes + line.Length : 0)
                : (StartsWithFieldName(line) ? line.Length : 0);
            if (fieldBytes > MaxHeaderFieldBytes)
            {
                reasons.Add(ExpectedRefusal.HeaderFieldTooLarge);
            }
        }

        return [.. reasons];
    }

    private static bool StartsWithFieldName(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        return name.Length > 0 && !name.ContainsAnyExceptInRange((byte)33, (byte)126);
    }

    private static bool IsUtf8(IEnumerable<byte[]> fields)
    {
        try
        {
            var strict = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
            foreach (var field in fields)
            {
                strict.GetString(field);
            }

            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    // As MessageDelivery reads it; null when MimeKit cannot.
    private static MimeMessage? Parse(byte[] content)
    {
        try
        {
            return MimeMessage.Load(ParserOptions.Default, new MemoryStream(content));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // What MessageDkimSigner signs: exactly one From field whose mailboxes share one domain.
    private static string? FindSigningDomain(MimeMessage message)
    {
        if (message.Headers.Count(header => header.Id == HeaderId.From) != 1)
        {
            return null;
        }

        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mailbox in message.From.Mailboxes)
        {
            if (string.IsNullOrWhiteSpace(mailbox.Domain)
                || !AddressNormalizer.TryNormalize("postmaster@" + mailbox.Domain.Trim(), out var address, out _)
                || address.Domain.StartsWith('['))
            {
                return null;
            }

            domains.Add(address.Domain);
        }

        return domains.Count == 1 ? domains.First() : null;
    }
}
