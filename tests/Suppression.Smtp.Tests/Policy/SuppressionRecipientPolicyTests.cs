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
    public async Task Entry_that_blocks_every_message_decides_at_rcpt_as_configured(BlockedRecipientAction action, RecipientVerdict verdict)
    {
        var entry = await AddAsync("a@example.com", SuppressionScope.Global, SuppressionReason.HardBounce);

        var decision = await CheckAsync(action, "A@Example.com");

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(entry, decision.Entry);
    }

    [Theory]
    [InlineData("global", SuppressionReason.Unsubscribe, null)]
    [InlineData("global", SuppressionReason.Complaint, "acme")]
    [InlineData("tenant:acme", SuppressionReason.HardBounce, null)]
    [InlineData("tenant:acme", SuppressionReason.Manual, "globex")]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, "acme")]
    [InlineData("topic:acme/deals", SuppressionReason.Manual, "acme")]
    public async Task Entry_that_depends_on_the_message_is_held_for_after_data(string scope, SuppressionReason reason, string? boundTenant)
    {
        Assert.True(SuppressionScope.TryParse(scope, out var parsed));
        var entry = await AddAsync("a@example.com", parsed, reason);

        var decision = await CheckAsync(BlockedRecipientAction.Reject, "a@example.com", boundTenant);

        Assert.Equal(RecipientVerdict.Deliver, decision.Verdict);
        Assert.Equal([entry], decision.Entries);
    }

    [Fact]
    public async Task Tenant_wide_block_decides_at_rcpt_for_a_client_bound_to_that_tenant()
    {
        var entry = await AddAsync("a@example.com", SuppressionScope.ForTenant("acme"), SuppressionReason.Manual);

        var decision = await CheckAsync(BlockedRecipientAction.Drop, "a@example.com", "acme");

        Assert.Equal(RecipientVerdict.Drop, decision.Verdict);
        Assert.Equal(entry, decision.Entry);
    }

    [Fact]
    public async Task Unreachable_list_defers_the_recipient()
    {
        _store.Unreachable = true;

        Assert.Equal(RecipientDecision.Defer, await CheckAsync(BlockedRecipientAction.Drop, "a@example.com"));
    }

    private async Task<RecipientDecision> CheckAsync(BlockedRecipientAction action, string recipient, string? boundTenant = null) =>
        await new SuppressionRecipientPolicy(_store, action, TimeProvider.System, NullLogger<SuppressionRecipientPolicy>.Instance).CheckAsync(
            new RecipientCheck(AddressNormalizer.Normalize(recipient), IPAddress.Loopback, "sender@example.com", boundTenant),
            CancellationToken.None);

    private async Task<SuppressionEntry> AddAsync(string address, SuppressionScope scope, SuppressionReason reason)
    {
        var entry = new SuppressionEntry(scope, reason, SuppressionSource.Api, Time);
        await _store.AddAsync(AddressNormalizer.Normalize(address), entry, TestAudit.Any, CancellationToken.None);
        return entry;
    }
}
