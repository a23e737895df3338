using NSubstitute;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

/// <summary>The undo window and what undo may touch; the store and audit log are seams here (the gateway tests use real ones).</summary>
public sealed class UnsubscribeActionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly NormalizedAddress Jane = AddressNormalizer.Normalize("jane@example.com");
    private static readonly UnsubscribeToken ListToken = new(Jane, "acme", "deals", Now.AddDays(-3));
    private static readonly RequestOrigin Browser = new("192.0.2.7", "Browser/1");

    private static readonly AuditPosition Added = new("c-00a1f", 7);
    private static readonly UndoableChange[] ListChange = [new(SuppressionScope.ForTopic("acme", "deals"), Added)];

    private readonly ISuppressionStore _store = Substitute.For<ISuppressionStore>();
    private readonly List<AuditRecord> _records = [];

    public UnsubscribeActionsTests()
    {
        _store.RevertAsync(default, default, default!, Arg.Do<AuditRecord>(_records.Add), default).ReturnsForAnyArgs(RevertOutcome.Reverted);
    }

    [Theory]
    [InlineData(0, UndoOutcome.Undone)]
    [InlineData(14 * 60 + 59, UndoOutcome.Undone)]
    [InlineData(15 * 60, UndoOutcome.Undone)]
    [InlineData(15 * 60 + 1, UndoOutcome.WindowPassed)]
    [InlineData(30 * 24 * 3600, UndoOutcome.WindowPassed)]
    public async Task Undo_is_possible_within_the_window_and_not_after(int ageSeconds, UndoOutcome expected)
    {
        Entries(new SuppressionEntry(SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now.AddSeconds(-ageSeconds)));

        var outcome = await Actions(TimeSpan.FromMinutes(15)).UndoAsync(ListToken, ListChange, Browser, Now, CancellationToken.None);

        Assert.Equal(expected, outcome);
        if (expected == UndoOutcome.Undone)
        {
            await _store.Received(1).RevertAsync(Jane, SuppressionScope.ForTopic("acme", "deals"), Added, Arg.Any<AuditRecord>(), Arg.Any<CancellationToken>());
            var record = Assert.Single(_records);
            Assert.Equal(AuditEventType.Resubscribed, record.Type);
            Assert.Equal("token", record.Actor);
            Assert.Equal("192.0.2.7", record.ClientAddress);
        }
        else
        {
            await _store.DidNotReceiveWithAnyArgs().RevertAsync(default, default, default!, default!, default);
            Assert.Empty(_records);
        }
    }

    [Theory]
    [InlineData(SuppressionReason.Complaint, SuppressionSource.Arf)]
    [InlineData(SuppressionReason.HardBounce, SuppressionSource.Dsn)]
    [InlineData(SuppressionReason.Manual, SuppressionSource.Api)]
    [InlineData(SuppressionReason.Unsubscribe, SuppressionSource.Api)]
    [InlineData(SuppressionReason.Unsubscribe, SuppressionSource.Import)]
    public async Task Undo_leaves_what_did_not_come_from_the_recipients_own_unsubscribe(SuppressionReason reason, SuppressionSource source)
    {
        Entries(new SuppressionEntry(SuppressionScope.ForTopic("acme", "deals"), reason, source, Now));

        var outcome = await Actions(TimeSpan.FromMinutes(15)).UndoAsync(ListToken, ListChange, Browser, Now, CancellationToken.None);

        Assert.Equal(UndoOutcome.Superseded, outcome);
        await _store.DidNotReceiveWithAnyArgs().RevertAsync(default, default, default!, default!, default);
    }

    [Fact]
    public async Task Undo_leaves_other_scopes_alone()
    {
        Entries(
            new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now),
            new SuppressionEntry(SuppressionScope.ForTopic("acme", "other-list"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now),
            new SuppressionEntry(SuppressionScope.ForTenant("globex"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now));

        Assert.Equal(UndoOutcome.NothingToUndo, await Actions(TimeSpan.FromMinutes(15)).UndoAsync(ListToken, ListChange, Browser, Now, CancellationToken.None));
    }

    [Fact]
    public async Task Undo_without_a_change_of_this_page_or_with_another_links_scope_touches_nothing()
    {
        Entries(new SuppressionEntry(SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now));
        var actions = Actions(TimeSpan.FromMinutes(15));

        Assert.Equal(UndoOutcome.NothingToUndo, await actions.UndoAsync(ListToken, [], Browser, Now, CancellationToken.None));
        Assert.Equal(
            UndoOutcome.NothingToUndo,
            await actions.UndoAsync(ListToken, [new(SuppressionScope.ForTenant("globex"), Added)], Browser, Now, CancellationToken.None));
        await _store.DidNotReceiveWithAnyArgs().RevertAsync(default, default, default!, default!, default);
    }

    [Fact]
    public async Task A_newer_request_for_the_same_scope_is_not_undone()
    {
        Entries(new SuppressionEntry(SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now));
        _store.RevertAsync(default, default, default!, default!, default).ReturnsForAnyArgs(RevertOutcome.Superseded);

        Assert.Equal(UndoOutcome.Superseded, await Actions(TimeSpan.FromMinutes(15)).UndoAsync(ListToken, ListChange, Browser, Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_zero_window_means_no_undo()
    {
        Entries(new SuppressionEntry(SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe, SuppressionSource.Page, Now.AddSeconds(-1)));

        Assert.Equal(UndoOutcome.WindowPassed, await Actions(TimeSpan.Zero).UndoAsync(ListToken, ListChange, Browser, Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_failure_is_the_callers_failure_so_the_request_is_retried()
    {
        _store.AddAndLocateAsync(default, default!, default!, default).ReturnsForAnyArgs(Task.FromException<AuditPosition?>(new TimeoutException("store down")));

        await Assert.ThrowsAsync<TimeoutException>(() =>
            Actions(TimeSpan.FromMinutes(15)).UnsubscribeAsync(ListToken, SuppressionSource.OneClick, Browser, Now, CancellationToken.None));
    }

    [Fact]
    public void Only_a_list_token_can_be_widened()
    {
        Assert.True(UnsubscribeActions.CanWiden(ListToken));
        Assert.False(UnsubscribeActions.CanWiden(ListToken with { Topic = null }));
        Assert.False(UnsubscribeActions.CanWiden(ListToken with { Tenant = null, Topic = null }));
    }

    private UnsubscribeActions Actions(TimeSpan window) => new(_store, window);

    private void Entries(params SuppressionEntry[] entries) =>
        _store.GetEntriesAsync(default!, default).ReturnsForAnyArgs(Task.FromResult(new IReadOnlyList<SuppressionEntry>[] { entries }));
}
