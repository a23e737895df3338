using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Suppression.Addresses;
using Suppression.Smtp.Policy;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Policy;

public sealed class SuppressionRecipientPolicyTests
{
    private static readonly DateTimeOffset Time = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InMemorySuppressionStore _store = new();

    [Fact]
    public async Task Recipient_without_entries_is_delivered() =>
        Assert.Equal(RecipientDecision.Deliver, await CheckAsync(BlockedRecipientAction.Drop, "a@example.com"));

    [Theory]
    [InlineData(BlockedRecipientAction.Drop, RecipientVerdict.Drop)]
    [InlineData(BlockedRecipientAction.Reject, RecipientVerdict.Refuse)]
    public async Task Suppressed_recipient_is_dropped_or_refused_as_configured(BlockedRecipientAction action, RecipientVerdict verdict)
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Time);
        await _store.AddAsync(AddressNormalizer.Normalize("a@example.com"), entry, CancellationToken.None);

        var decision = await CheckAsync(action, "A@Example.com");

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(entry, decision.Entry);
    }

    [Fact]
    public async Task Unreachable_list_defers_the_recipient()
    {
        _store.Unreachable = true;

        Assert.Equal(RecipientDecision.Defer, await CheckAsync(BlockedRecipientAction.Drop, "a@example.com"));
    }

    private async Task<RecipientDecision> CheckAsync(BlockedRecipientAction action, string recipient) =>
        await new SuppressionRecipientPolicy(_store, action, NullLogger<SuppressionRecipientPolicy>.Instance).CheckAsync(
            new RecipientCheck(AddressNormalizer.Normalize(recipient), IPAddress.Loopback, "sender@example.com"),
            CancellationToken.None);
}
