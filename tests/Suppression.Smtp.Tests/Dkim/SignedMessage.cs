using System.Text;
using MimeKit;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

/// <summary>A client message as the gateway reads it from its spool, signed and written as a relayed copy.</summary>
public sealed class SignedMessage : IDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly MessageSpool _spool = new(1 << 20);

    public SignedMessage(byte[] bytes)
    {
        _spool.Write(bytes);
        Client = ClientMessage.Read(_spool);
    }

    public SignedMessage(string text)
        : this(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")))
    {
    }

    public ClientMessage Client { get; }

    /// <summary>The header-only model, where the gateway adds its fields.</summary>
    public HeaderList Headers => Client.Headers.Headers;

    internal MessageDkimSigning? Signing { get; private set; }

    /// <summary>The gateway's signature of the last copy signed.</summary>
    public Header? Signature { get; private set; }

    /// <summary>Begins the message's signing (once) and signs the copy its fields make now.</summary>
    public bool TrySign(MessageDkimSigner signer, string? tenant = null, bool coversFeedbackId = false)
    {
        Signing ??= signer.Begin(Client, tenant, coversFeedbackId, Now);
        if (Signing is null)
        {
            return false;
        }

        if (Signature is not null)
        {
            Headers.Remove(Signature);
        }

        Signature = Signing.SignCopy();
        return true;
    }

    /// <summary>The copy's bytes: the composed header block, the empty line if the client had one, the body bytes.</summary>
    public byte[] Wire()
    {
        using var wire = new MemoryStream();
        wire.Write(CopyHeaderBlock.Compose(Client));
        if (Client.HasBodySeparator)
        {
            wire.Write("\r\n"u8);
        }

        var spool = _spool.OpenRead();
        spool.Position = Client.BodyOffset;
        spool.CopyTo(wire);
        return wire.ToArray();
    }

    public Dictionary<string, string> SignatureTags() =>
        Signature!.Value
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => tag.Split('=', 2))
            .ToDictionary(tag => tag[0].Trim(), tag => string.Concat(tag[1].Where(c => !char.IsWhiteSpace(c))), StringComparer.Ordinal);

    public void Dispose() => _spool.Dispose();
}
