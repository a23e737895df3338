using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Smtp.Delivery;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Delivery;

public sealed class BlockedDeliveryRecorderTests
{
    private const string MessageKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly IBlockedDeliveryLog _log = Substitute.For<IBlockedDeliveryLog>();
    private readonly IRecordedBlockedDeliveries _recorded = Substitute.For<IRecordedBlockedDeliveries>();
    private readonly List<BlockedDelivery> _written = [];

    public BlockedDeliveryRecorderTests()
    {
        _log.RecordAsync(Arg.Any<IReadOnlyList<BlockedDelivery>>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _written.AddRange(call.Arg<IReadOnlyList<BlockedDelivery>>());
                return Task.CompletedTask;
            });
        Recorded();
    }

    [Fact]
    public async Task RecordOnce_SomeAlreadyOnRecord_RecordsAndMarksOnlyTheOthers()
    {
        Recorded("a@example.com");

        Assert.True(await Recorder().RecordOnceAsync([Blocked("a@example.com"), Blocked("b@example.com")], MessageKey, "t1", CancellationToken.None));

        Assert.Equal(["b@example.com"], _written.Select(delivery => delivery.Recipient.Value));
        await _recorded.Received(1).MarkRecordedAsync(MessageKey, AddressNormalizer.Normalize("b@example.com"), Arg.Any<CancellationToken>());
        await _recorded.DidNotReceive().MarkRecordedAsync(Arg.Any<string>(), AddressNormalizer.Normalize("a@example.com"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RecordOnce_AllOnRecord_WritesNothing()
    {
        Recorded("a@example.com");

        Assert.True(await Recorder().RecordOnceAsync([Blocked("a@example.com")], MessageKey, "t1", CancellationToken.None));

        await _log.DidNotReceiveWithAnyArgs().RecordAsync(default!, default);
    }

    [Fact]
    public async Task RecordOnce_MemoryUnreadable_RecordsEveryDelivery()
    {
        _recorded.GetRecordedAsync(default!, default!, default).ThrowsAsyncForAnyArgs(new TimeoutException("redis"));

        Assert.True(await Recorder().RecordOnceAsync([Blocked("a@example.com"), Blocked("b@example.com")], MessageKey, "t1", CancellationToken.None));

        Assert.Equal(2, _written.Count);
    }

    [Fact]
    public async Task RecordOnce_AuditUnwritable_DefersAndMarksNothing()
    {
        _log.RecordAsync(Arg.Any<IReadOnlyList<BlockedDelivery>>(), Arg.Any<CancellationToken>()).ThrowsAsync(new TimeoutException("redis"));

        Assert.False(await Recorder().RecordOnceAsync([Blocked("a@example.com")], MessageKey, "t1", CancellationToken.None));

        await _recorded.DidNotReceiveWithAnyArgs().MarkRecordedAsync(default!, default, default);
    }

    private BlockedDeliveryRecorder Recorder() => new(_log, _recorded, NullLogger<BlockedDeliveryRecorder>.Instance);

    private void Recorded(params string[] recipients) =>
        _recorded.GetRecordedAsync(MessageKey, Arg.Any<IReadOnlyList<NormalizedAddress>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlySet<string>>(recipients.ToHashSet()));

    private static BlockedDelivery Blocked(string recipient) =>
        new(DateTimeOffset.UnixEpoch, IPAddress.Loopback, "news@sender.example", AddressNormalizer.Normalize(recipient), SuppressionReason.Unsubscribe, SuppressionScope.Global, "m1@sender.example");
}
