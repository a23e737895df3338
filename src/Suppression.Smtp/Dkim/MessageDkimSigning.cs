using System.Buffers;
using System.Text;
using MimeKit;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// The DKIM signing of one client message and its copies: the body hash is computed once, over the
/// spool's body bytes that every copy carries, and each copy costs one header hash and one RSA
/// signature over the header fields exactly as <see cref="CopyHeaderBlock"/> writes them.
/// </summary>
internal sealed class MessageDkimSigning
{
    private readonly ClientMessage _message;
    private readonly DkimDomainKey _key;
    private readonly IReadOnlyList<(string Name, bool Oversigned)> _fields;
    private readonly DateTimeOffset _timestamp;
    private string? _bodyHash;

    public MessageDkimSigning(ClientMessage message, DkimDomainKey key, IReadOnlyList<(string Name, bool Oversigned)> fields, DateTimeOffset timestamp)
    {
        _message = message;
        _key = key;
        _fields = fields;
        _timestamp = timestamp;
    }

    /// <summary>How often the body was read and hashed; once per message however many copies are signed.</summary>
    internal int BodyHashComputations { get; private set; }

    /// <summary>The body's <c>bh=</c> (RFC 6376 3.7), the same for every copy.</summary>
    public string BodyHash => _bodyHash ??= ComputeBodyHash();

    /// <summary>
    /// Signs the copy the message's header fields make now and inserts the DKIM-Signature as its
    /// first field. Call it last: a later change to a signed field breaks the signature.
    /// </summary>
    /// <param name="copyLines">The copy's lines as <see cref="CopyHeaderBlock.Fields"/> lists them now, when the caller has them already.</param>
    public Header SignCopy(IReadOnlyList<(ReadOnlyMemory<byte> Bytes, bool IsField)>? copyLines = null)
    {
        var lines = (copyLines ?? CopyHeaderBlock.Fields(_message).ToList()).Where(line => line.IsField).Select(line => line.Bytes).ToList();
        var names = lines.Select(line => DkimRelaxedHeader.TryGetName(line.Span, out var name) ? name : string.Empty).ToList();
        var signedFields = SignedFieldNames(names);

        var hashed = new ArrayBufferWriter<byte>(4096);
        foreach (var index in Instances(signedFields, names))
        {
            DkimRelaxedHeader.Append(hashed, lines[index].Span);
        }

        var unsigned = DkimSignatureField.Unsigned(_key.Domain, _key.Selector, _timestamp, signedFields, BodyHash);
        DkimRelaxedHeader.Append(hashed, Encoding.ASCII.GetBytes(DkimSignatureField.Name + ":" + unsigned), endWithCrlf: false);

        var signature = new Header(DkimSignatureField.Name, string.Empty);
        signature.SetRawValue(Encoding.ASCII.GetBytes(DkimSignatureField.Signed(unsigned, _key.Sign(hashed.WrittenSpan))));
        _message.Headers.Headers.Insert(0, signature);
        return signature;
    }

    /// <summary>
    /// Signs a copy the gateway had to write in another form (converted to 7 bit for an upstream
    /// without 8BITMIME, <see cref="VerbatimCopy.DowngradedTo7Bit"/>): written once through MimeKit
    /// as the upstream will receive it, then signed like any copy over those bytes, its own body hash
    /// included. Inserts the DKIM-Signature as the message's first field.
    /// </summary>
    public bool SignConverted(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var spool = new MessageSpool(int.MaxValue);
        using (var written = new MemoryStream())
        {
            message.WriteTo(RelayFormats.AsSmtpClientSends, written);
            spool.Write(written.GetBuffer().AsSpan(0, (int)written.Length));
        }

        var converted = new MessageDkimSigning(ClientMessage.Read(spool), _key, _fields, _timestamp);
        message.Headers.Insert(0, converted.SignCopy());
        return true;
    }

    // Each field as often as the copy has it (RFC 6376 5.4.2: a name listed n times signs the last
    // n instances), oversigned ones once more (8.15), absent ones that are not oversigned not at all.
    private List<string> SignedFieldNames(List<string> names)
    {
        var signed = new List<string>(_fields.Count * 2);
        foreach (var (name, oversigned) in _fields)
        {
            var times = names.Count(present => present == name) + (oversigned ? 1 : 0);
            for (var i = 0; i < times; i++)
            {
                signed.Add(name);
            }
        }

        return signed;
    }

    // RFC 6376 5.4.2: the instances of a name are taken from the bottom of the header block up; a
    // name listed once more than it occurs selects none, the "null string" that is not hashed.
    private static IEnumerable<int> Instances(List<string> signedFields, List<string> names)
    {
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in signedFields)
        {
            var skip = taken.GetValueOrDefault(name);
            taken[name] = skip + 1;
            for (var i = names.Count - 1; i >= 0; i--)
            {
                if (names[i] == name && skip-- == 0)
                {
                    yield return i;
                    break;
                }
            }
        }
    }

    private string ComputeBodyHash()
    {
        BodyHashComputations++;

        // The spool's own stream when it is a file: positioned here and left open for the copies.
        var body = _message.Spool.OpenRead();
        body.Position = _message.BodyOffset;
        return DkimRelaxedBody.Hash(body);
    }
}
