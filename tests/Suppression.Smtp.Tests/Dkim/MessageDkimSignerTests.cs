using System.Text;
using MimeKit;
using Suppression.Smtp.Dkim;
using Suppression.Testing.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

public sealed class MessageDkimSignerTests(DkimTestKeys keys) : IClassFixture<DkimTestKeys>
{
    private const string ListUnsubscribe = "<https://unsubscribe.example.com/u/AbCdEf0123>, <mailto:unsubscribe@example.com?subject=AbCdEf0123>";

    [DkimVerifiersFact]
    public async Task Plain_text_message_verifies_with_python3_dkim()
    {
        using var message = PlainMessage();

        Assert.True(message.TrySign(Signer(("example.com", keys.First))));

        var tags = message.SignatureTags();
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("relaxed/relaxed", tags["c"]);
        Assert.Equal("example.com", tags["d"]);
        Assert.Equal("sel", tags["s"]);
        await AssertVerifiesAsync(message.Wire(), keys.First, "sel._domainkey.example.com.");
    }

    [DkimVerifiersFact]
    public async Task Multipart_alternative_with_8bit_utf8_body_is_signed_and_relayed_as_it_is()
    {
        using var message = new SignedMessage("""
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

            """);

        Assert.True(message.TrySign(Signer(("example.com", keys.First))));

        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        Assert.Contains("Grüße aus München: 20 % Rabatt ✓\r\n--b1", Encoding.UTF8.GetString(wire), StringComparison.Ordinal);
    }

    [DkimVerifiersFact]
    public async Task List_unsubscribe_headers_are_signed_and_what_a_replay_would_change_is_oversigned()
    {
        using var message = PlainMessage();
        message.Headers.Add(HeaderId.ListUnsubscribe, ListUnsubscribe);
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");

        Assert.True(message.TrySign(Signer(("example.com", keys.First))));

        Assert.Equal(
            ["from", "from", "to", "to", "cc", "reply-to", "subject", "subject", "date", "date", "message-id", "message-id",
             "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe", "list-unsubscribe-post", "list-unsubscribe-post"],
            message.SignatureTags()["h"].Split(':'));
        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "u/AbCdEf0123>", "u/AbCdEf0124>"), keys.First);
        await AssertFailsAsync(Replace(wire, "List-Unsubscribe=One-Click", "List-Unsubscribe=One-Clack"), keys.First);
    }

    // A captured message re-sent with a field added where readers look (M3AAWG's replay advice).
    [DkimVerifiersTheory]
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
        using var message = PlainMessage();
        message.Headers.Add(HeaderId.ListUnsubscribe, ListUnsubscribe);
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");
        Assert.True(message.TrySign(Signer(("example.com", keys.First))));
        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");

        // Added at the top, as a relay adds trace fields, and at the end of the header block, where
        // a verifier that reads bottom-up meets it first.
        await AssertFailsAsync(Encoding.ASCII.GetBytes(added).Concat(wire).ToArray(), keys.First);
        await AssertFailsAsync(Replace(wire, "\r\n\r\n", "\r\n" + added + "\r\n"), keys.First);
    }

    [DkimVerifiersFact]
    public async Task A_changed_content_type_fails_verification()
    {
        using var message = PlainMessage();
        Assert.True(message.TrySign(Signer(("example.com", keys.First))));
        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");

        await AssertFailsAsync(Replace(wire, "text/plain", "text/html"), keys.First);
    }

    [DkimVerifiersFact]
    public async Task Fields_the_message_has_twice_are_all_signed_and_verify()
    {
        using var message = PlainMessage(cc: "Cc: first@example.net\nCc: second@example.net\n");

        Assert.True(message.TrySign(Signer(("example.com", keys.First))));

        Assert.Equal(3, message.SignatureTags()["h"].Split(':').Count(field => field == "cc"));
        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "first@example.net", "first@example.org"), keys.First);
    }

    [Fact]
    public void Absent_fields_are_listed_only_when_oversigned()
    {
        // A relayed message may have neither Date nor Message-ID.
        using var message = new SignedMessage("""
            From: news@example.com
            To: reader@example.net
            MIME-Version: 1.0
            Content-Type: text/plain

            Hello

            """);

        Assert.True(message.TrySign(Signer(("example.com", keys.First))));

        Assert.Equal(
            ["from", "from", "to", "to", "cc", "reply-to", "subject", "date", "message-id", "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post"],
            message.SignatureTags()["h"].Split(':'));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("acme", false)]
    public void A_signer_without_tenants_signs_only_mail_of_no_tenant(string? tenant, bool expectSignature)
    {
        using var message = PlainMessage();

        Assert.Equal(expectSignature, message.TrySign(Signer(("example.com", keys.First)), tenant));
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
        using var message = PlainMessage();

        Assert.Equal(expectSignature, message.TrySign(signer, tenant));
        Assert.Equal(expectSignature, message.Headers.Contains(HeaderId.DkimSignature));
    }

    [DkimVerifiersFact]
    public async Task One_character_changed_in_the_body_after_signing_fails_verification()
    {
        using var message = PlainMessage();
        Assert.True(message.TrySign(Signer(("example.com", keys.First))));
        var wire = message.Wire();

        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "three offers", "three offerz"), keys.First);
    }

    [DkimVerifiersFact]
    public async Task One_character_changed_in_the_subject_after_signing_fails_verification()
    {
        using var message = PlainMessage();
        Assert.True(message.TrySign(Signer(("example.com", keys.First))));
        var wire = message.Wire();

        await AssertVerifiesAsync(wire, keys.First, "sel._domainkey.example.com.");
        await AssertFailsAsync(Replace(wire, "Subject: Spring offers", "Subject: Spring offerz"), keys.First);
    }

    [DkimVerifiersFact]
    public async Task A_second_from_added_after_signing_fails_verification()
    {
        using var message = PlainMessage();
        Assert.True(message.TrySign(Signer(("example.com", keys.First))));
        var wire = message.Wire();

        var withSecondFrom = Encoding.ASCII.GetBytes("From: ceo@example.com\r\n").Concat(wire).ToArray();

        await AssertFailsAsync(withSecondFrom, keys.First);
    }

    [Fact]
    public void From_of_another_domain_is_not_signed()
    {
        using var message = PlainMessage("news@example.org");

        Assert.False(message.TrySign(Signer(("example.com", keys.First))));

        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public void Nothing_is_signed_when_no_signer_is_configured()
    {
        using var message = PlainMessage();

        Assert.False(message.TrySign(new MessageDkimSigner(new DkimOptions())));

        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public void Subdomain_is_signed_only_by_its_own_signer()
    {
        using (var other = PlainMessage("news@mail.example.com"))
        {
            Assert.False(other.TrySign(Signer(("example.com", keys.First))));
        }

        using var message = PlainMessage("news@mail.example.com");
        Assert.True(message.TrySign(Signer(("example.com", keys.First), ("mail.example.com", keys.Second))));
        Assert.Equal("mail.example.com", message.SignatureTags()["d"]);
    }

    [DkimVerifiersFact]
    public async Task Each_domain_is_signed_with_its_own_key()
    {
        var signer = Signer(("example.com", keys.First), ("example.org", keys.Second));
        using var message = PlainMessage("news@example.org");

        Assert.True(message.TrySign(signer));

        var wire = message.Wire();
        await AssertVerifiesAsync(wire, keys.Second, "sel._domainkey.example.org.");
        await AssertFailsAsync(wire, keys.First);
    }

    [Fact]
    public void From_domain_is_matched_case_insensitively()
    {
        using var message = PlainMessage("News@EXAMPLE.Com");

        Assert.True(message.TrySign(Signer(("Example.COM", keys.First))));

        Assert.Equal("example.com", message.SignatureTags()["d"]);
    }

    [DkimVerifiersFact]
    public async Task Unicode_signer_domain_signs_mail_from_its_a_label_and_d_is_the_a_label()
    {
        using var message = PlainMessage("info@xn--bcher-kva.example");

        Assert.True(message.TrySign(Signer(("bücher.example", keys.First))));

        Assert.Equal("xn--bcher-kva.example", message.SignatureTags()["d"]);
        await AssertVerifiesAsync(message.Wire(), keys.First, "sel._domainkey.xn--bcher-kva.example.");
    }

    [DkimVerifiersFact]
    public async Task A_label_signer_domain_signs_mail_from_its_unicode_form()
    {
        using var message = PlainMessage("info@BÜCHER.example");

        Assert.True(message.TrySign(Signer(("XN--BCHER-KVA.example", keys.First))));

        Assert.Equal("xn--bcher-kva.example", message.SignatureTags()["d"]);
        await AssertVerifiesAsync(message.Wire(), keys.First, "sel._domainkey.xn--bcher-kva.example.");
    }

    [Fact]
    public void Message_with_two_from_fields_is_not_signed()
    {
        using var message = PlainMessage(cc: "From: other@example.com\n");

        Assert.False(message.TrySign(Signer(("example.com", keys.First))));
    }

    [Fact]
    public void Authors_from_two_domains_are_not_signed()
    {
        using var message = PlainMessage("news@example.com>, <partner@example.org");

        Assert.False(message.TrySign(Signer(("example.com", keys.First), ("example.org", keys.Second))));
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction_with_the_validation_lines()
    {
        var options = new DkimOptions { Signers = [new DkimSignerOptions { Domain = "example.com", Selector = "sel", PrivateKeyFile = "/nonexistent/dkim.pem" }] };

        var exception = Assert.Throws<InvalidOperationException>(() => new MessageDkimSigner(options));

        Assert.Equal("Suppression:Dkim:Signers:0:PrivateKeyFile: file '/nonexistent/dkim.pem' does not exist", exception.Message);
    }

    private static SignedMessage PlainMessage(string from = "news@example.com", string cc = "") => new($"""
        From: Example News <{from}>
        To: reader@example.net
        {cc}Subject: Spring offers
        Date: Tue, 04 Mar 2025 05:06:07 +0000
        Message-ID: <offer-1@example.com>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Hello reader,
        three offers this week.

        """);

    private static MessageDkimSigner Signer(params (string Domain, DkimTestKey Key)[] signers) =>
        new(new DkimOptions
        {
            Signers = signers.Select(signer => new DkimSignerOptions { Domain = signer.Domain, Selector = "sel", PrivateKeyFile = signer.Key.PrivateKeyFile }).ToArray(),
        });

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
        var python = await PythonDkimVerifier.VerifyAsync(wire, key.TxtRecord);
        Assert.True(python.Verified, $"python3-dkim rejected the signature:\n{python.Log}\n{Encoding.UTF8.GetString(wire)}");
        Assert.Equal([expectedQuery], python.QueriedNames);
        var perl = await PerlDkimVerifier.VerifyAsync(wire, key.TxtRecord);
        Assert.True(perl.Verified, $"Mail::DKIM rejected the signature: {perl.Log}\n{Encoding.UTF8.GetString(wire)}");
        Assert.Equal([expectedQuery.TrimEnd('.')], perl.QueriedNames);
    }

    private static async Task AssertFailsAsync(byte[] wire, DkimTestKey key)
    {
        Assert.False((await PythonDkimVerifier.VerifyAsync(wire, key.TxtRecord)).Verified, $"python3-dkim accepted a message it should reject:\n{Encoding.UTF8.GetString(wire)}");
        Assert.False((await PerlDkimVerifier.VerifyAsync(wire, key.TxtRecord)).Verified, $"Mail::DKIM accepted a message it should reject:\n{Encoding.UTF8.GetString(wire)}");
    }
}
