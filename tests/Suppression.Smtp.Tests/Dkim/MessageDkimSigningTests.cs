using System.Text;
using MimeKit;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Dkim;
using Suppression.Testing.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

/// <summary>
/// The signature over a copy as it is sent: the client's header fields as their own bytes, the
/// gateway's as it writes them, the body as it came, checked with python3-dkim and Mail::DKIM.
/// </summary>
public sealed class MessageDkimSigningTests(DkimTestKeys keys) : IClassFixture<DkimTestKeys>
{
    private const string Headers =
        "From: Example News <news@example.com>\r\nTo: reader@example.net\r\nSubject: Spring offers\r\n" +
        "Date: Tue, 04 Mar 2025 05:06:07 +0000\r\nMessage-ID: <offer-1@example.com>\r\n";

    // Bodies and header blocks whose canonical forms differ from their bytes (RFC 6376 3.4.2, 3.4.4).
    public static TheoryData<string, byte[]> Messages => new()
    {
        { "trailing white space on body lines", Bytes(Headers + "\r\nline one \t \r\nline  two\t\r\n") },
        { "empty lines at the end of the body", Bytes(Headers + "\r\nHello\r\n\r\n\r\n \r\n") },
        { "an empty body after the empty line", Bytes(Headers + "\r\n") },
        { "no body and no empty line", Bytes(Headers) },
        { "a body of empty lines only", Bytes(Headers + "\r\n\r\n\r\n") },
        { "a body without a final CRLF", Bytes(Headers + "\r\nHello, no line end") },
        {
            "folded fields with runs of white space",
            Bytes("From: Example News\r\n  <news@example.com>\r\nTo:   reader@example.net,\r\n\t\tother@example.net  \r\n" +
                "Subject:\r\n Spring\r\n \t offers\r\nDate: Tue, 04 Mar 2025 05:06:07 +0000\r\nMessage-ID: <offer-1@example.com>\r\n\r\nHello\r\n")
        },
        { "upper-case names and no space after the colon", Bytes("FROM: news@example.com\r\nSUBJECT:Spring offers\r\nto:\treader@example.net\r\n\r\nHello\r\n") },
        {
            "8-bit bytes in fields and body",
            Bytes("From: Bücherei <news@example.com>\r\nTo: Jörg <reader@example.net>\r\nSubject: Grüße  aus München \r\n" +
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße  aus München ✓ \r\n\r\n")
        },
        {
            "Latin-1 bytes that are not UTF-8",
            [.. Bytes("From: news@example.com\r\nSubject: "), 0xC4, 0x72, 0x67, 0x65, 0x72, .. Bytes("\r\n\r\n"), 0xE9, 0x74, 0xE9, .. Bytes("  \r\n")]
        },
    };

    [DkimVerifiersTheory]
    [MemberData(nameof(Messages))]
    public async Task Copy_verifies_with_both_verifiers(string description, byte[] bytes)
    {
        using var message = new SignedMessage(bytes);
        message.Headers.Insert(0, new Header("Received", "from client.example by gateway.example; Tue, 04 Mar 2025 05:06:07 +0000"));
        message.Headers.Add(HeaderId.ListUnsubscribe, "<https://unsubscribe.example/u/abc>");

        Assert.True(message.TrySign(Signer()), description);

        await AssertVerifiesAsync(message.Wire(), description);
    }

    [DkimVerifiersFact]
    public async Task White_space_before_the_colon_is_left_out_of_the_signed_name()
    {
        // RFC 5322 4.5's obsolete syntax: Mail::DKIM reads it; dkimpy refuses to read the message at all.
        using var message = new SignedMessage("From : news@example.com\r\nSubject\t: Spring offers\r\n\r\nHello\r\n");

        Assert.True(message.TrySign(Signer()));

        Assert.Equal(["from", "from", "to", "cc", "reply-to", "subject", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post"], message.SignatureTags()["h"].Split(':'));
        var perl = await PerlDkimVerifier.VerifyAsync(message.Wire(), keys.First.TxtRecord);
        Assert.True(perl.Verified, perl.Log);
    }

    [DkimVerifiersFact]
    public async Task An_oversigned_field_that_was_absent_breaks_the_signature_when_added()
    {
        using var message = new SignedMessage(Headers + "\r\nHello\r\n");
        Assert.True(message.TrySign(Signer()));
        var wire = message.Wire();
        Assert.Contains("reply-to", message.SignatureTags()["h"].Split(':'));
        await AssertVerifiesAsync(wire, "signed");

        var withReplyTo = Bytes("Reply-To: collect@attacker.example\r\n").Concat(wire).ToArray();

        Assert.False((await PythonDkimVerifier.VerifyAsync(withReplyTo, keys.First.TxtRecord)).Verified);
        Assert.False((await PerlDkimVerifier.VerifyAsync(withReplyTo, keys.First.TxtRecord)).Verified);
    }

    [Fact]
    public void The_signature_field_is_folded_within_78_octets_a_line()
    {
        using var message = new SignedMessage(Headers + "Cc: a@example.net\r\nCc: b@example.net\r\n\r\nHello\r\n");
        message.Headers.Add(HeaderId.ListUnsubscribe, "<https://unsubscribe.example/u/abc>");
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");

        Assert.True(message.TrySign(Signer()));

        var field = "DKIM-Signature:" + Encoding.ASCII.GetString(message.Signature!.RawValue);
        Assert.EndsWith("\r\n", field, StringComparison.Ordinal);
        var lines = field[..^2].Split("\r\n");
        Assert.True(lines.Length > 3, field);
        Assert.All(lines, line => Assert.True(line.Length <= 78, $"{line.Length} octets: {line}"));
        Assert.All(lines.Skip(1), line => Assert.StartsWith("\t", line, StringComparison.Ordinal));
        Assert.Same(message.Signature, message.Headers[0]);
    }

    [DkimVerifiersFact]
    public async Task Ten_copies_share_one_body_hash_computed_once_and_each_verifies()
    {
        var body = string.Concat(Enumerable.Range(0, 2000).Select(i => $"Line {i}  of the offer \t\r\n"));
        using var message = new SignedMessage(Headers + "\r\n" + body);
        var signer = Signer();
        var copies = new List<(byte[] Wire, Dictionary<string, string> Tags)>();
        Header? listUnsubscribe = null;

        for (var i = 0; i < 10; i++)
        {
            // What RecipientCopies does per copy: that recipient's link, then the signature.
            if (listUnsubscribe is not null)
            {
                message.Headers.Remove(listUnsubscribe);
            }

            listUnsubscribe = new Header(HeaderId.ListUnsubscribe, $"<https://unsubscribe.example/u/token-{i}>");
            message.Headers.Insert(0, listUnsubscribe);
            Assert.True(message.TrySign(signer));
            copies.Add((message.Wire(), message.SignatureTags()));
        }

        Assert.Equal(1, message.Signing!.BodyHashComputations);
        Assert.Single(copies.Select(copy => copy.Tags["bh"]).Distinct());
        Assert.Equal(10, copies.Select(copy => copy.Tags["b"]).Distinct().Count());
        Assert.Single(message.Headers, header => header.Id == HeaderId.DkimSignature);
        foreach (var (wire, _) in copies)
        {
            await AssertVerifiesAsync(wire, "one of ten copies");
        }
    }

    [DkimVerifiersFact]
    public async Task A_copy_converted_to_7_bit_is_signed_again_after_converting_and_verifies()
    {
        using var message = new SignedMessage(
            "From: news@example.com\r\nTo: reader@example.net\r\nSubject: Offers\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus München  \r\n\r\n");
        Assert.True(message.TrySign(Signer()));
        var copy = VerbatimCopy.Of(CopyHeaderBlock.Compose(message.Client), message.Client, eightBitMime: true, message.Signing!.SignConverted);

        var converted = copy.DowngradedTo7Bit();

        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var wire = new MemoryStream();
        converted.WriteTo(format, wire);
        var text = Encoding.ASCII.GetString(wire.ToArray());
        Assert.Equal(1, text.Split("DKIM-Signature:").Length - 1);
        Assert.StartsWith("DKIM-Signature:", text, StringComparison.Ordinal);
        Assert.DoesNotContain(wire.ToArray(), b => b > 0x7F);
        await AssertVerifiesAsync(wire.ToArray(), "converted to 7 bit");
    }

    private MessageDkimSigner Signer() =>
        new(new DkimOptions { Signers = [new DkimSignerOptions { Domain = "example.com", Selector = "sel", PrivateKeyFile = keys.First.PrivateKeyFile }] });

    private async Task AssertVerifiesAsync(byte[] wire, string description)
    {
        var python = await PythonDkimVerifier.VerifyAsync(wire, keys.First.TxtRecord);
        Assert.True(python.Verified, $"{description}: python3-dkim rejected the signature:\n{python.Log}\n{Encoding.Latin1.GetString(wire)}");
        var perl = await PerlDkimVerifier.VerifyAsync(wire, keys.First.TxtRecord);
        Assert.True(perl.Verified, $"{description}: Mail::DKIM rejected the signature: {perl.Log}\n{Encoding.Latin1.GetString(wire)}");
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
