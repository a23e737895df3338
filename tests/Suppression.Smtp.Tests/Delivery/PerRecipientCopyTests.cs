using System.Text.RegularExpressions;
using MimeKit;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Dkim;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Tests.Dkim;
using Suppression.Smtp.Tests.Server;
using Suppression.Smtp.Unsubscribe;
using Suppression.Testing.Dkim;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Tests.Delivery;

/// <summary>
/// One client message, one upstream copy per recipient (docs/design.md, delivery semantics): each copy
/// carries its own token, the client hears one reply, and a retry sends only what failed.
/// </summary>
public sealed partial class PerRecipientCopyTests(DkimTestKeys keys) : IClassFixture<DkimTestKeys>
{
    private const string Message = SessionHarness.SampleMessage;

    private static readonly string MessageKey = IAcceptedCopies.DeriveMessageKey("m1@client.example", []);

    private readonly SessionHarness _harness = new();

    private readonly UnsubscribeTokenCodec _codec = new(new TokenKeyRing([new TokenKey(7, RandomKey())]));

    [Fact]
    public async Task Every_copy_accepted_is_250_and_nothing_is_remembered()
    {
        var reply = await SendToAsync("a@example.com", "b@example.com", "c@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], _harness.RelayedRecipients());
        await _harness.AcceptedCopies.DidNotReceiveWithAnyArgs().MarkAcceptedAsync(default!, default, default);
    }

    [Fact]
    public async Task One_deferred_copy_defers_the_message_and_the_accepted_copies_are_remembered()
    {
        _harness.RelayResultFor = recipient => recipient == "b@example.com"
            ? RelayResult.FromUpstreamReply(451, "4.2.0 mailbox busy")
            : RelayResult.Accepted("2.0.0 queued");

        var reply = await SendToAsync("a@example.com", "b@example.com", "c@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "451 4.4.0");
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], _harness.RelayedRecipients());
        await _harness.AcceptedCopies.Received(1).MarkAcceptedAsync(MessageKey, Address("a@example.com"), Arg.Any<CancellationToken>());
        await _harness.AcceptedCopies.Received(1).MarkAcceptedAsync(MessageKey, Address("c@example.com"), Arg.Any<CancellationToken>());
        await _harness.AcceptedCopies.DidNotReceive().MarkAcceptedAsync(Arg.Any<string>(), Address("b@example.com"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_temporary_failure_defers_the_message_even_beside_a_permanent_one()
    {
        _harness.RelayResultFor = recipient => recipient switch
        {
            "a@example.com" => RelayResult.FromUpstreamReply(451, "4.2.0 mailbox busy"),
            "b@example.com" => RelayResult.FromUpstreamReply(550, "5.1.1 no such user"),
            _ => RelayResult.Accepted("2.0.0 queued"),
        };

        var reply = await SendToAsync("a@example.com", "b@example.com", "c@example.com");

        // The retry may yet deliver a@'s copy; a 5xx now would bounce a@ and c@ as well.
        SmtpTranscriptExtensions.AssertReply(reply, "451 4.4.0");
        Assert.Contains("mailbox busy", reply.Last, StringComparison.Ordinal);
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Every_copy_refused_for_good_gives_the_first_refusal_and_no_dsn()
    {
        _harness.RelayResultFor = recipient => recipient == "a@example.com"
            ? RelayResult.FromUpstreamReply(550, "5.1.1 no such user")
            : RelayResult.FromUpstreamReply(552, "5.2.2 mailbox full");

        var reply = await SendToAsync("a@example.com", "b@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "550 5.1.1");
        Assert.Equal(["a@example.com", "b@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task A_copy_refused_for_good_beside_accepted_ones_is_reported_to_the_sender_and_the_client_gets_250()
    {
        _harness.RelayResultFor = recipient => recipient == "b@example.com"
            ? RelayResult.FromUpstreamReply(550, "5.1.1 no such user")
            : RelayResult.Accepted("2.0.0 queued");

        var reply = await SendToAsync("a@example.com", "b@example.com", "c@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com", "sender@client.example"], _harness.RelayedRecipients());
        var dsn = _harness.Relayed[^1];
        Assert.Equal(string.Empty, dsn.Envelope.Sender);
        var status = Parse(dsn.Bytes).BodyParts.OfType<MessageDeliveryStatus>().Single();
        Assert.Equal(["rfc822;b@example.com"], status.StatusGroups.Where(group => group.Contains("Final-Recipient")).Select(group => group["Final-Recipient"]));
        await _harness.AcceptedCopies.DidNotReceiveWithAnyArgs().MarkAcceptedAsync(default!, default, default);
    }

    [Fact]
    public async Task A_dsn_the_upstream_does_not_take_defers_the_message_and_the_accepted_copies_are_remembered()
    {
        _harness.RelayResultFor = recipient => recipient switch
        {
            "b@example.com" => RelayResult.FromUpstreamReply(550, "5.1.1 no such user"),
            "sender@client.example" => RelayResult.FromUpstreamReply(451, "4.3.0 try later"),
            _ => RelayResult.Accepted("2.0.0 queued"),
        };

        var reply = await SendToAsync("a@example.com", "b@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "451 4.3.0");
        await _harness.AcceptedCopies.Received(1).MarkAcceptedAsync(MessageKey, Address("a@example.com"), Arg.Any<CancellationToken>());
        await _harness.AcceptedCopies.DidNotReceive().MarkAcceptedAsync(Arg.Any<string>(), Address("b@example.com"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task On_the_retry_a_copy_accepted_earlier_counts_and_the_refused_one_is_reported_with_250()
    {
        _harness.AcceptedCopies.GetAcceptedAsync(MessageKey, Arg.Any<IReadOnlyList<NormalizedAddress>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { "a@example.com" }));
        _harness.RelayResultFor = recipient => recipient == "b@example.com"
            ? RelayResult.FromUpstreamReply(550, "5.1.1 no such user")
            : RelayResult.Accepted("2.0.0 queued");

        var reply = await SendToAsync("a@example.com", "b@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["b@example.com", "sender@client.example"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task The_retry_sends_only_the_copies_not_yet_accepted()
    {
        _harness.AcceptedCopies.GetAcceptedAsync(MessageKey, Arg.Any<IReadOnlyList<NormalizedAddress>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { "a@example.com", "c@example.com" }));

        var reply = await SendToAsync("A@example.com", "b@example.com", "c@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["b@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Unreadable_memory_sends_every_copy_rather_than_defer()
    {
        _harness.AcceptedCopies.GetAcceptedAsync(default!, default!, default).ThrowsAsyncForAnyArgs(new TimeoutException("redis"));

        var reply = await SendToAsync("a@example.com", "b@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["a@example.com", "b@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Memory_that_cannot_be_written_still_gives_the_client_the_real_failure()
    {
        _harness.RelayResultFor = recipient => recipient == "b@example.com"
            ? RelayResult.Unreachable("connection refused")
            : RelayResult.Accepted("2.0.0 queued");
        _harness.AcceptedCopies.MarkAcceptedAsync(default!, default, default).ThrowsAsyncForAnyArgs(new TimeoutException("redis"));

        var reply = await SendToAsync("a@example.com", "b@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "451 4.4.1");
    }

    [Fact]
    public async Task A_single_recipient_needs_no_memory()
    {
        SmtpTranscriptExtensions.AssertReply(await SendToAsync("a@example.com"), "250 2.0.0");

        await _harness.AcceptedCopies.DidNotReceiveWithAnyArgs().GetAcceptedAsync(default!, default!, default);
    }

    [Fact]
    public async Task Each_copy_carries_its_own_token_which_names_its_recipient_and_shows_no_address()
    {
        _harness.CopyWriter = new RecipientCopyWriter(Stamping("unsubscribe@gateway.example"), signer: null);

        SmtpTranscriptExtensions.AssertReply(await SendToAsync("a@example.com", "B@Example.com"), "250 2.0.0");

        var tokens = _harness.Relayed.Select(copy =>
        {
            var message = Parse(copy.Bytes);
            var listUnsubscribe = Assert.Single(message.Headers, header => header.Field == "List-Unsubscribe").Value;
            Assert.Equal("List-Unsubscribe=One-Click", Assert.Single(message.Headers, header => header.Field == "List-Unsubscribe-Post").Value);
            Assert.DoesNotContain("example.com", listUnsubscribe, StringComparison.OrdinalIgnoreCase);
            var match = LinkPattern().Match(listUnsubscribe);
            Assert.True(match.Success, listUnsubscribe);
            Assert.Contains($"<mailto:unsubscribe@gateway.example?subject=unsubscribe-{match.Groups["token"].Value}>", listUnsubscribe, StringComparison.Ordinal);
            return match.Groups["token"].Value;
        }).ToList();

        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.True(_codec.TryDecode(tokens[0], DateTimeOffset.UtcNow, out var first, out _));
        Assert.True(_codec.TryDecode(tokens[1], DateTimeOffset.UtcNow, out var second, out _));
        Assert.Equal("a@example.com", first.Recipient.Value);
        Assert.Equal("b@example.com", second.Recipient.Value);
    }

    [Fact]
    public async Task Each_copy_has_one_gateway_signature_and_keeps_the_clients_own()
    {
        const string signed =
            "DKIM-Signature: v=1; a=rsa-sha256; d=client.example; s=own; h=from; bh=AAAA; b=BBBB\r\n" + Message;
        _harness.CopyWriter = new RecipientCopyWriter(
            Stamping(mailto: null),
            new MessageDkimSigner(new DkimOptions { Signers = [new DkimSignerOptions { Domain = "client.example", Selector = "s1", PrivateKeyFile = keys.First.PrivateKeyFile }] }));

        SmtpTranscriptExtensions.AssertReply(await SendMessageToAsync(signed, "a@example.com", "b@example.com", "c@example.com"), "250 2.0.0");

        Assert.All(_harness.Relayed, copy =>
        {
            var signatures = Parse(copy.Bytes).Headers.Where(header => header.Id == HeaderId.DkimSignature).Select(header => header.Value).ToList();
            Assert.Equal(2, signatures.Count);
            Assert.Single(signatures, value => value.Contains("s=own", StringComparison.Ordinal));
            var ours = Assert.Single(signatures, value => value.Contains("s=s1", StringComparison.Ordinal));
            Assert.Contains("list-unsubscribe:list-unsubscribe-post", ours.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(), StringComparison.Ordinal);
        });
    }

    [DkimVerifierFact]
    public async Task Every_copy_verifies_with_an_independent_verifier_over_its_own_link()
    {
        _harness.CopyWriter = new RecipientCopyWriter(
            Stamping("unsubscribe@gateway.example"),
            new MessageDkimSigner(new DkimOptions { Signers = [new DkimSignerOptions { Domain = "client.example", Selector = "sel", PrivateKeyFile = keys.First.PrivateKeyFile }] }));

        SmtpTranscriptExtensions.AssertReply(await SendToAsync("a@example.com", "b@example.com"), "250 2.0.0");

        foreach (var copy in _harness.Relayed)
        {
            var verification = await PythonDkimVerifier.VerifyAsync(copy.Bytes, keys.First.TxtRecord);
            Assert.True(verification.Verified, verification.Log);
        }
    }

    [DkimVerifiersFact]
    public async Task Ten_copies_each_verify_and_carry_the_same_body_hash()
    {
        _harness.CopyWriter = new RecipientCopyWriter(
            Stamping("unsubscribe@gateway.example"),
            new MessageDkimSigner(new DkimOptions { Signers = [new DkimSignerOptions { Domain = "client.example", Selector = "sel", PrivateKeyFile = keys.First.PrivateKeyFile }] }));
        var recipients = Enumerable.Range(0, 10).Select(i => $"r{i}@example.com").ToArray();

        SmtpTranscriptExtensions.AssertReply(await SendToAsync(recipients), "250 2.0.0");

        Assert.Equal(10, _harness.Relayed.Count);
        var bodyHashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var copy in _harness.Relayed)
        {
            var signature = Assert.Single(Parse(copy.Bytes).Headers, header => header.Id == HeaderId.DkimSignature).Value;
            var bodyHash = Regex.Match(signature, @"\bbh=([A-Za-z0-9+/=]{44});");
            Assert.True(bodyHash.Success, signature);
            bodyHashes.Add(bodyHash.Groups[1].Value);
            var python = await PythonDkimVerifier.VerifyAsync(copy.Bytes, keys.First.TxtRecord);
            Assert.True(python.Verified, python.Log);
            var perl = await PerlDkimVerifier.VerifyAsync(copy.Bytes, keys.First.TxtRecord);
            Assert.True(perl.Verified, perl.Log);
        }

        Assert.Single(bodyHashes);
    }

    private Task<SmtpResponse> SendToAsync(params string[] recipients) => SendMessageToAsync(Message, recipients);

    private async Task<SmtpResponse> SendMessageToAsync(string message, params string[] recipients)
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<sender@client.example>", "250 2.1.0");
        foreach (var recipient in recipients)
        {
            await smtp.ExpectAsync($"RCPT TO:<{recipient}>", "250 2.1.5");
        }

        return await smtp.SendMessageAsync(message);
    }

    private UnsubscribeStamping Stamping(string? mailto) =>
        new(_codec, new ListUnsubscribeStamper(new Uri("https://unsubscribe.example/"), mailto));

    private static MimeMessage Parse(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));

    private static NormalizedAddress Address(string address) =>
        AddressNormalizer.TryNormalize(address, out var normalized, out _) ? normalized : throw new ArgumentException(address);

    private static byte[] RandomKey() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [GeneratedRegex(@"^<https://unsubscribe\.example/u/(?<token>[A-Za-z0-9_-]+)>")]
    private static partial Regex LinkPattern();
}
