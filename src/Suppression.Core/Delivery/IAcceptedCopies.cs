using System.Security.Cryptography;
using System.Text;
using Suppression.Addresses;

namespace Suppression.Delivery;

/// <summary>
/// The per-recipient copies of a message that the upstream already accepted, remembered for the
/// client's retry window so a retry after a partial failure sends only the copies that failed
/// (docs/design.md, delivery semantics).
/// </summary>
public interface IAcceptedCopies
{
    private const string MessageIdDomain = "accepted-copies-v1:message-id:";
    private const string ContentDomain = "accepted-copies-v1:content:";

    /// <returns>The <see cref="NormalizedAddress.Value"/>s of the recipients whose copy was accepted.</returns>
    Task<IReadOnlySet<string>> GetAcceptedAsync(string messageKey, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken);

    Task MarkAcceptedAsync(string messageKey, NormalizedAddress recipient, CancellationToken cancellationToken);

    /// <summary>
    /// The key of a message: from its Message-ID when it has one, else from its bytes. Either way it
    /// is 64 lowercase hex digits of a SHA-256, so it has a fixed length and reveals nothing.
    /// </summary>
    /// <param name="messageId">The Message-ID header, with or without its angle brackets.</param>
    public static string DeriveMessageKey(string? messageId, ReadOnlySpan<byte> message)
    {
        if (FromMessageId(messageId) is { } key)
        {
            return key;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, digest);
        return FromContentDigest(digest);
    }

    /// <inheritdoc cref="DeriveMessageKey(string?, ReadOnlySpan{byte})"/>
    /// <remarks>The stream is read to its end only when there is no Message-ID.</remarks>
    public static async Task<string> DeriveMessageKeyAsync(string? messageId, Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FromMessageId(messageId) is { } key)
        {
            return key;
        }

        var digest = await SHA256.HashDataAsync(message, cancellationToken);
        return FromContentDigest(digest);
    }

    // The Message-ID is the same on every retry of one message (RFC 5322 3.6.4); the brackets are
    // dropped so the raw header and a parsed value give the same key.
    private static string? FromMessageId(string? messageId)
    {
        var id = messageId.AsSpan().Trim();
        if (id.Length >= 2 && id[0] == '<' && id[^1] == '>')
        {
            id = id[1..^1].Trim();
        }

        return id.IsEmpty ? null : Hash(Encoding.UTF8.GetBytes(string.Concat(MessageIdDomain, id)));
    }

    // Separate domains keep a Message-ID from ever colliding with a message whose bytes hash alike.
    private static string FromContentDigest(ReadOnlySpan<byte> contentDigest)
    {
        var buffer = new byte[ContentDomain.Length + contentDigest.Length];
        var written = Encoding.ASCII.GetBytes(ContentDomain, buffer);
        contentDigest.CopyTo(buffer.AsSpan(written));
        return Hash(buffer);
    }

    private static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
