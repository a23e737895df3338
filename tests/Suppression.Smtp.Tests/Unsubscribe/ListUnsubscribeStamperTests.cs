using System.Text;
using MimeKit;
using Suppression.Smtp.Unsubscribe;

namespace Suppression.Smtp.Tests.Unsubscribe;

public sealed class ListUnsubscribeStamperTests
{
    private const string Token = "AbC-_123";

    // About the length of a real token (key id, nonce, sealed payload and tag in base64url).
    private static readonly string LongToken = "k1" + new string('A', 40) + "-_" + new string('z', 52);

    [Fact]
    public void Stamp_sets_https_link_mailto_and_one_click_post()
    {
        var message = NewMessage();

        new ListUnsubscribeStamper(new Uri("https://gw.example"), "unsubscribe@gateway.example").Stamp(message, Token);

        Assert.Equal(
            $"<https://gw.example/u/{Token}>, <mailto:unsubscribe@gateway.example?subject=unsubscribe-{Token}>",
            message.Headers[ListUnsubscribeStamper.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[ListUnsubscribeStamper.ListUnsubscribePost]);
    }

    [Fact]
    public void Without_a_mailto_address_only_the_link_is_listed()
    {
        var message = NewMessage();

        new ListUnsubscribeStamper(new Uri("https://gw.example")).Stamp(message, Token);

        Assert.Equal($"<https://gw.example/u/{Token}>", message.Headers[ListUnsubscribeStamper.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[ListUnsubscribeStamper.ListUnsubscribePost]);
    }

    [Theory]
    [InlineData("https://x.example", "https://x.example/u/")]
    [InlineData("https://x.example/", "https://x.example/u/")]
    [InlineData("https://x.example/mail", "https://x.example/mail/u/")]
    [InlineData("https://x.example/mail/", "https://x.example/mail/u/")]
    [InlineData("https://x.example:8443/a/b/", "https://x.example:8443/a/b/u/")]
    public void Link_is_base_url_then_u_then_token(string baseUrl, string expectedPrefix)
    {
        var message = NewMessage();

        new ListUnsubscribeStamper(new Uri(baseUrl)).Stamp(message, Token);

        Assert.Equal($"<{expectedPrefix}{Token}>", message.Headers[ListUnsubscribeStamper.ListUnsubscribe]);
    }

    [Fact]
    public void Replace_removes_every_sender_list_unsubscribe_and_post_header()
    {
        var message = NewMessage();
        message.Headers.Add("List-Unsubscribe", "<https://esp.example/unsub/1>");
        message.Headers.Add("list-unsubscribe", "<mailto:leave@esp.example>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        new ListUnsubscribeStamper(new Uri("https://gw.example"), null, SenderListUnsubscribe.Replace).Stamp(message, Token);

        Assert.Equal([$"<https://gw.example/u/{Token}>"], Values(message, ListUnsubscribeStamper.ListUnsubscribe));
        Assert.Equal(["List-Unsubscribe=One-Click"], Values(message, ListUnsubscribeStamper.ListUnsubscribePost));
    }

    [Fact]
    public void Replace_is_the_default()
    {
        var message = NewMessage();
        message.Headers.Add("List-Unsubscribe", "<https://esp.example/unsub/1>");

        new ListUnsubscribeStamper(new Uri("https://gw.example")).Stamp(message, Token);

        Assert.Equal([$"<https://gw.example/u/{Token}>"], Values(message, ListUnsubscribeStamper.ListUnsubscribe));
    }

    [Fact]
    public void Keep_if_present_leaves_a_message_with_sender_list_unsubscribe_untouched()
    {
        var message = NewMessage();
        message.Headers.Add("List-Unsubscribe", "<https://esp.example/unsub/1>");
        var before = Write(message);

        new ListUnsubscribeStamper(new Uri("https://gw.example"), "u@gw.example", SenderListUnsubscribe.KeepIfPresent).Stamp(message, Token);

        Assert.Equal(before, Write(message));
        Assert.Null(message.Headers[ListUnsubscribeStamper.ListUnsubscribePost]);
    }

    [Fact]
    public void Keep_if_present_stamps_a_message_without_list_unsubscribe()
    {
        var message = NewMessage();
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        new ListUnsubscribeStamper(new Uri("https://gw.example"), null, SenderListUnsubscribe.KeepIfPresent).Stamp(message, Token);

        Assert.Equal([$"<https://gw.example/u/{Token}>"], Values(message, ListUnsubscribeStamper.ListUnsubscribe));
        Assert.Equal(["List-Unsubscribe=One-Click"], Values(message, ListUnsubscribeStamper.ListUnsubscribePost));
    }

    [Theory]
    [InlineData(SenderListUnsubscribe.Replace)]
    [InlineData(SenderListUnsubscribe.KeepIfPresent)]
    public void Stamping_again_for_the_next_recipient_leaves_one_of_each_header_with_the_second_token(SenderListUnsubscribe policy)
    {
        var message = NewMessage();
        var stamper = new ListUnsubscribeStamper(new Uri("https://gw.example/mail/"), "u@gw.example", policy);

        stamper.Stamp(message, "first-token");
        stamper.Stamp(message, "second_token");

        Assert.Equal(
            ["<https://gw.example/mail/u/second_token>, <mailto:u@gw.example?subject=unsubscribe-second_token>"],
            Values(message, ListUnsubscribeStamper.ListUnsubscribe));
        Assert.Equal(["List-Unsubscribe=One-Click"], Values(message, ListUnsubscribeStamper.ListUnsubscribePost));
    }

    [Fact]
    public void Keep_if_present_keeps_sender_header_for_every_recipient()
    {
        var message = NewMessage();
        message.Headers.Add("List-Unsubscribe", "<https://esp.example/unsub/1>");
        var stamper = new ListUnsubscribeStamper(new Uri("https://gw.example"), null, SenderListUnsubscribe.KeepIfPresent);

        stamper.Stamp(message, "first");
        stamper.Stamp(message, "second");

        Assert.Equal(["<https://esp.example/unsub/1>"], Values(message, ListUnsubscribeStamper.ListUnsubscribe));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc=")]
    [InlineData("ab+c")]
    [InlineData("ab/c")]
    [InlineData("a b")]
    [InlineData("a>b")]
    [InlineData("a\r\nX-Injected: yes")]
    [InlineData("a%2F")]
    [InlineData("é")]
    public void Token_that_is_not_base64url_is_refused_and_nothing_is_written(string token)
    {
        var message = NewMessage();
        var before = Write(message);

        Assert.Throws<ArgumentException>(() => new ListUnsubscribeStamper(new Uri("https://gw.example"), "u@gw.example").Stamp(message, token));
        Assert.Equal(before, Write(message));
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("@gw.example")]
    [InlineData("u@")]
    [InlineData("a@b@c")]
    [InlineData("u@gw.example?subject=x")]
    [InlineData("u@gw.example>, <https://evil.example")]
    [InlineData("u @gw.example")]
    public void Mailto_address_that_would_need_escaping_is_refused(string address) =>
        Assert.Throws<ArgumentException>(() => new ListUnsubscribeStamper(new Uri("https://gw.example"), address));

    [Theory]
    [InlineData("ftp://gw.example/")]
    [InlineData("https://gw.example/?a=1")]
    [InlineData("https://gw.example/#frag")]
    public void Base_url_that_cannot_carry_a_token_path_is_refused(string baseUrl) =>
        Assert.Throws<ArgumentException>(() => new ListUnsubscribeStamper(new Uri(baseUrl)));

    [Theory]
    [InlineData("https://gw.example")]
    [InlineData("https://mail.a-rather-long-customer-subdomain.gateway-provider.example.com/tenants/acme-corporation/unsubscribe/")]
    public void Written_and_parsed_back_the_header_is_unchanged_and_its_url_is_the_link(string baseUrl)
    {
        var message = NewMessage();
        var stamper = new ListUnsubscribeStamper(new Uri(baseUrl), "unsubscribe@gateway.example");
        stamper.Stamp(message, LongToken);
        var stamped = message.Headers[ListUnsubscribeStamper.ListUnsubscribe];

        var written = Write(message);
        var parsed = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(written)));

        Assert.Equal(stamped, parsed.Headers[ListUnsubscribeStamper.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", parsed.Headers[ListUnsubscribeStamper.ListUnsubscribePost]);
        var elements = ListElements(parsed.Headers[ListUnsubscribeStamper.ListUnsubscribe]!);
        Assert.Equal([baseUrl.TrimEnd('/') + "/u/" + LongToken, $"mailto:unsubscribe@gateway.example?subject=unsubscribe-{LongToken}"], elements);
        Assert.True(Uri.TryCreate(elements[0], UriKind.Absolute, out var link));
        Assert.EndsWith("/u/" + LongToken, link.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_header_is_folded_only_between_list_elements()
    {
        var message = NewMessage();
        new ListUnsubscribeStamper(new Uri("https://mail.a-rather-long-customer-subdomain.gateway-provider.example.com/tenants/acme/"), "unsubscribe@gateway.example")
            .Stamp(message, LongToken);

        var raw = RawHeader(Write(message), ListUnsubscribeStamper.ListUnsubscribe);

        // RFC 2369 3.2: whitespace, and so folding, is allowed between the angle-bracketed elements only.
        foreach (var fold in AllIndexesOf(raw, "\r\n"))
        {
            var before = raw[..fold];
            Assert.True(before.EndsWith(':') || before.EndsWith(','), $"folded inside an element: {raw}");
        }

        Assert.Contains(",\r\n <mailto:", raw, StringComparison.Ordinal);
    }

    private static MimeMessage NewMessage()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("News", "news@sender.example"));
        message.To.Add(new MailboxAddress("Reader", "reader@example.com"));
        message.Subject = "This week";
        message.Date = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        message.MessageId = "id-1@sender.example";
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    private static string[] Values(MimeMessage message, string field) =>
        message.Headers.Where(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();

    private static string Write(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return Encoding.ASCII.GetString(stream.ToArray());
    }

    // The field as written, folds included, up to (not including) the CRLF that ends it.
    private static string RawHeader(string written, string field)
    {
        var start = written.IndexOf(field + ":", StringComparison.Ordinal);
        var end = start;
        do
        {
            end = written.IndexOf("\r\n", end + 2, StringComparison.Ordinal);
        }
        while (written[end + 2] is ' ' or '\t');
        return written[start..end];
    }

    private static List<int> AllIndexesOf(string text, string value)
    {
        var indexes = new List<int>();
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            indexes.Add(i);
        }

        return indexes;
    }

    // RFC 2369 3.2: a comma-separated list of <URI>s.
    private static string[] ListElements(string value) =>
        value.Split(',').Select(element => element.Trim().TrimStart('<').TrimEnd('>')).ToArray();
}
