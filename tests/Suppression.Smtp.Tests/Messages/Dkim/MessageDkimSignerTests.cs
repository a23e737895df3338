using System.Text;
using MimeKit;
using Suppression.Smtp.Messages.Dkim;

namespace Suppression.Smtp.Tests.Messages.Dkim;

public sealed class MessageDkimSignerTests(DkimTestKeys keys) : IClassFixture<DkimTestKeys>
{
    private const string ListUnsubscribe = "<https://unsubscribe.example.com/u/AbCdEf0123>, <mailto:unsubscribe@example.com?subject=AbCdEf0123>";

    [DkimVerifierFact]
    public async Task Plain_text_message_verifies_with_python3_dkim()
    {
        var message = PlainMessage();

        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));

        var tags = SignatureTags(message);
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("relaxed/relaxed", tags["c"]);
        Assert.Equal("example.com", tags["d"]);
        Assert.Equal("sel", tags["s"]);
        await AssertVerifiesAsync(Wire(message), keys.First, "sel._domainkey.example.com.");
    }

    [DkimVerifierFact]
    public async Task Multipart_alternative_with_8bit_utf8_body_verifies_whatever_the_upstream_supports()
    {
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes("""
            From: Buecherei <info@example.com>
            To: reader@example.net
            Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=
            Date: Tue, 04 Mar 2025 05:06:07 +0000
            Message-ID: <alt-1@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße aus München: 20 % Rabatt ✓
            --b1
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: 8bit

            <p>Grüße aus München: 20 % Rabatt ✓</p>
            --b1--

            """.ReplaceLineEndings("\r\n"))));

        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));

        // SmtpClient prepares for what the server offers (BINARYMIME, 8BITMIME or neither) right
        // before DATA; none of them may change the signed body.
        foreach (var server in new[] { EncodingConstraint.None, EncodingConstraint.EightBit, EncodingConstraint.SevenBit })
        {
            var wire = Wire(message, server);
            await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
            var received = MimeMessage.Load(new MemoryStream(wire));
            Assert.Contains("Grüße aus München: 20 % Rabatt ✓", received.TextBody, StringComparison.Ordinal);
            Assert.Contains("<p>Grüße aus München", received.HtmlBody, StringComparison.Ordinal);
        }
    }

    [DkimVerifierFact]
    public async Task List_unsubscribe_headers_are_signed_and_what_a_replay_would_change_is_oversigned()
    {
        var message = PlainMessage();
        message.Headers.Add(HeaderId.ListUnsubscribe, ListUnsubscribe);
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");

        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));

        Assert.Equal(
            ["from", "from", "to", "to", "cc", "reply-to", "subject", "subject", "date", "date", "message-id", "message-id",
             "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe", "list-unsubscribe-post", "list-unsubscribe-post"],
            SignatureTags(message)["h"].Split(':'));
        var wire = Wire(message);
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "u/AbCdEf0123>", "u/AbCdEf0124>"), keys.First);
        await AssertFailsAsync(Replace(wire, "List-Unsubscribe=One-Click", "List-Unsubscribe=One-Clack"), keys.First);
    }

    // A captured message re-sent with a field added where readers look (M3AAWG's replay advice).
    [DkimVerifierTheory]
    [InlineData("Reply-To: collect@attacker.example\r\n")]
    [InlineData("Cc: more@victims.example\r\n")]
    [InlineData("Subject: Your account is locked\r\n")]
    [InlineData("To: someone-else@example.net\r\n")]
    [InlineData("Date: Wed, 05 Mar 2025 05:06:07 +0000\r\n")]
    [InlineData("Message-ID: <replayed-2@example.com>\r\n")]
    [InlineData("List-Unsubscribe: <https://attacker.example/u/x>\r\n")]
    [InlineData("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")]
    public async Task A_field_added_to_a_signed_message_fails_verification(string added)
    {
        var message = PlainMessage();
        message.Headers.Add(HeaderId.ListUnsubscribe, ListUnsubscribe);
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");
        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));
        var wire = Wire(message);
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");

        // Added at the top, as a relay adds trace fields, and at the end of the header block, where
        // a verifier that reads bottom-up meets it first.
        await AssertFailsAsync(Encoding.ASCII.GetBytes(added).Concat(wire).ToArray(), keys.First);
        await AssertFailsAsync(Replace(wire, "\r\n\r\n", "\r\n" + added + "\r\n"), keys.First);
    }

    [DkimVerifierFact]
    public async Task A_changed_content_type_fails_verification()
    {
        var message = PlainMessage();
        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));
        var wire = Wire(message);
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");

        await AssertFailsAsync(Replace(wire, "text/plain", "text/html"), keys.First);
    }

    [DkimVerifierFact]
    public async Task Fields_the_message_has_twice_are_all_signed_and_verify()
    {
        var message = PlainMessage();
        message.Headers.Add(HeaderId.Cc, "first@example.net");
        message.Headers.Add(HeaderId.Cc, "second@example.net");

        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));

        Assert.Equal(3, SignatureTags(message)["h"].Split(':').Count(field => field == "cc"));
        var wire = Wire(message);
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "first@example.net", "first@example.org"), keys.First);
    }

    [Fact]
    public void Absent_fields_are_listed_only_when_oversigned()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("news@example.com"));
        message.To.Add(MailboxAddress.Parse("reader@example.net"));
        message.Body = new TextPart("plain") { Text = "Hello" };

        // MimeMessage adds Date and Message-ID of its own; a relayed message may have neither.
        message.Headers.RemoveAll(HeaderId.Date);
        message.Headers.RemoveAll(HeaderId.MessageId);
        message.Headers.RemoveAll(HeaderId.Subject);

        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));

        Assert.Equal(
            ["from", "from", "to", "to", "cc", "reply-to", "subject", "date", "message-id", "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post"],
            SignatureTags(message)["h"].Split(':'));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("acme", false)]
    public void A_signer_without_tenants_signs_only_mail_of_no_tenant(string? tenant, bool expectSignature)
    {
        Assert.Equal(expectSignature, Signer(("example.com", keys.First)).TrySign(PlainMessage(), tenant));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("beta", true)]
    [InlineData("gamma", false)]
    [InlineData("ACME", false)]
    [InlineData(null, false)]
    public void A_signer_signs_only_mail_of_its_tenants(string? tenant, bool expectSignature)
    {
        var signer = new MessageDkimSigner(new DkimOptions
        {
            Signers = [new DkimSignerOptions { Domain = "example.com", Selector = "sel", PrivateKeyFile = keys.First.PrivateKeyFile, Tenants = ["acme", "beta"] }],
        });
        var message = PlainMessage();

        Assert.Equal(expectSignature, signer.TrySign(message, tenant));
        Assert.Equal(expectSignature, message.Headers.Contains(HeaderId.DkimSignature));
    }

    [DkimVerifierFact]
    public async Task One_character_changed_in_the_body_after_signing_fails_verification()
    {
        var message = PlainMessage();
        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));
        var wire = Wire(message);

        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "three offers", "three offerz"), keys.First);
    }

    [DkimVerifierFact]
    public async Task One_character_changed_in_the_subject_after_signing_fails_verification()
    {
        var message = PlainMessage();
        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));
        var wire = Wire(message);

        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "Subject: Spring offers", "Subject: Spring offerz"), keys.First);
    }

    [DkimVerifierFact]
    public async Task A_second_from_added_after_signing_fails_verification()
    {
        var message = PlainMessage();
        Assert.True(Signer(("example.com", keys.First)).TrySign(message, null));
        var wire = Wire(message);

        var withSecondFrom = Encoding.ASCII.GetBytes("From: ceo@example.com\r\n").Concat(wire).ToArray();

        await AssertFailsAsync(withSecondFrom, keys.First);
    }

    [Fact]
    public void From_of_another_domain_is_not_signed()
    {
        var message = PlainMessage("news@example.org");

        Assert.False(Signer(("example.com", keys.First)).TrySign(message, null));

        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public void Nothing_is_signed_when_no_signer_is_configured()
    {
        var message = PlainMessage();

        Assert.False(new MessageDkimSigner(new DkimOptions()).TrySign(message, null));

        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public void Subdomain_is_signed_only_by_its_own_signer()
    {
        Assert.False(Signer(("example.com", keys.First)).TrySign(PlainMessage("news@mail.example.com"), null));

        var message = PlainMessage("news@mail.example.com");
        Assert.True(Signer(("example.com", keys.First), ("mail.example.com", keys.Second)).TrySign(message, null));
        Assert.Equal("mail.example.com", SignatureTags(message)["d"]);
    }

    [DkimVerifierFact]
    public async Task Each_domain_is_signed_with_its_own_key()
    {
        var signer = Signer(("example.com", keys.First), ("example.org", keys.Second));
        var message = PlainMessage("news@example.org");

        Assert.True(signer.TrySign(message, null));

        var wire = Wire(message);
        await AssertVerifiesAsync(wire, keys.Second, "sel._domainkey.example.org.");
        await AssertFailsAsync(wire, keys.First);
    }

    [Fact]
    public void From_domain_is_matched_case_insensitively()
    {
        var message = PlainMessage("News@EXAMPLE.Com");

        Assert.True(Signer(("Example.COM", keys.First)).TrySign(message, null));

        Assert.Equal("example.com", SignatureTags(message)["d"]);
    }

    [DkimVerifierFact]
    public async Task Unicode_signer_domain_signs_mail_from_its_a_label_and_d_is_the_a_label()
    {
        var message = PlainMessage("info@xn--bcher-kva.example");

        Assert.True(Signer(("bücher.example", keys.First)).TrySign(message, null));

        Assert.Equal("xn--bcher-kva.example", SignatureTags(message)["d"]);
        await AssertVerifiesAsync(Wire(message), keys.First, "sel._domainkey.xn--bcher-kva.example.");
    }

    [DkimVerifierFact]
    public async Task A_label_signer_domain_signs_mail_from_its_unicode_form()
    {
        var message = PlainMessage("info@BÜCHER.example");

        Assert.True(Signer(("XN--BCHER-KVA.example", keys.First)).TrySign(message, null));

        Assert.Equal("xn--bcher-kva.example", SignatureTags(message)["d"]);
        await AssertVerifiesAsync(Wire(message), keys.First, "sel._domainkey.xn--bcher-kva.example.");
    }

    [Fact]
    public void Message_with_two_from_fields_is_not_signed()
    {
        var message = PlainMessage();
        message.Headers.Add(HeaderId.From, "other@example.com");

        Assert.False(Signer(("example.com", keys.First)).TrySign(message, null));
    }

    [Fact]
    public void Authors_from_two_domains_are_not_signed()
    {
        var message = PlainMessage();
        message.From.Add(MailboxAddress.Parse("partner@example.org"));

        Assert.False(Signer(("example.com", keys.First), ("example.org", keys.Second)).TrySign(message, null));
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction_with_the_validation_lines()
    {
        var options = new DkimOptions { Signers = [new DkimSignerOptions { Domain = "example.com", Selector = "sel", PrivateKeyFile = "/nonexistent/dkim.pem" }] };

        var exception = Assert.Throws<InvalidOperationException>(() => new MessageDkimSigner(options));

        Assert.Equal("Suppression:Dkim:Signers:0:PrivateKeyFile: file '/nonexistent/dkim.pem' does not exist", exception.Message);
    }

    private static MimeMessage PlainMessage(string from = "news@example.com")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Example News", from));
        message.To.Add(MailboxAddress.Parse("reader@example.net"));
        message.Subject = "Spring offers";
        message.Date = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        message.MessageId = "offer-1@example.com";
        message.Body = new TextPart("plain") { Text = "Hello reader,\nthree offers this week.\n" };
        return message;
    }

    private static MessageDkimSigner Signer(params (string Domain, DkimTestKey Key)[] signers) =>
        new(new DkimOptions
        {
            Signers = signers.Select(signer => new DkimSignerOptions { Domain = signer.Domain, Selector = "sel", PrivateKeyFile = signer.Key.PrivateKeyFile }).ToArray(),
        });

    // What MailKit's SmtpClient does before DATA: Prepare for the server's extensions with its
    // 998-octet line limit, then write with CRLF, hiding Bcc.
    private static byte[] Wire(MimeMessage message, EncodingConstraint server = EncodingConstraint.EightBit)
    {
        message.Prepare(server, 998);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.HiddenHeaders.Add(HeaderId.Bcc);
        format.HiddenHeaders.Add(HeaderId.ResentBcc);
        using var stream = new MemoryStream();
        message.WriteTo(format, stream);
        return stream.ToArray();
    }

    private static Dictionary<string, string> SignatureTags(MimeMessage message) =>
        message.Headers[HeaderId.DkimSignature]!
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => tag.Split('=', 2))
            .ToDictionary(tag => tag[0].Trim(), tag => string.Concat(tag[1].Where(c => !char.IsWhiteSpace(c))), StringComparer.Ordinal);

    private static byte[] Replace(byte[] wire, string original, string replacement)
    {
        // Latin-1 maps bytes to chars one to one, so 8-bit content passes through unchanged.
        var text = Encoding.Latin1.GetString(wire);
        var at = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(original, at + 1, StringComparison.Ordinal) < 0, $"'{original}' must occur exactly once");
        return Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + original.Length)));
    }

    private static async Task AssertVerifiesAsync(byte[] wire, DkimTestKey key, string expectedQuery)
    {
        var result = await PythonDkimVerifier.VerifyAsync(wire, key.TxtRecord);
        Assert.True(result.Verified, $"python3-dkim rejected the signature:\n{result.Log}\n{Encoding.UTF8.GetString(wire)}");
        Assert.Equal([expectedQuery], result.QueriedNames);
    }

    private static async Task AssertFailsAsync(byte[] wire, DkimTestKey key)
    {
        var result = await PythonDkimVerifier.VerifyAsync(wire, key.TxtRecord);
        Assert.False(result.Verified, $"python3-dkim accepted a message it should reject:\n{Encoding.UTF8.GetString(wire)}");
    }
}
