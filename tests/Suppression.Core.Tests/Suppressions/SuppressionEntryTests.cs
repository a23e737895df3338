using Suppression.Suppressions;

namespace Suppression.Core.Tests.Suppressions;

public class SuppressionEntryTests
{
    // docs/design.md, consent model: unsubscribes and complaints block marketing only; hard bounces,
    // manual blocks and erasures block all mail. Imports block marketing only (SuppressionEntry.Blocks).
    public static TheoryData<SuppressionReason, MessageClass, bool> Matrix => new()
    {
        { SuppressionReason.Unsubscribe, MessageClass.Marketing, true },
        { SuppressionReason.Unsubscribe, MessageClass.Transactional, false },
        { SuppressionReason.Complaint, MessageClass.Marketing, true },
        { SuppressionReason.Complaint, MessageClass.Transactional, false },
        { SuppressionReason.Import, MessageClass.Marketing, true },
        { SuppressionReason.Import, MessageClass.Transactional, false },
        { SuppressionReason.HardBounce, MessageClass.Marketing, true },
        { SuppressionReason.HardBounce, MessageClass.Transactional, true },
        { SuppressionReason.Manual, MessageClass.Marketing, true },
        { SuppressionReason.Manual, MessageClass.Transactional, true },
        { SuppressionReason.Erasure, MessageClass.Marketing, true },
        { SuppressionReason.Erasure, MessageClass.Transactional, true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Reason_blocks_the_classes_the_consent_model_says(SuppressionReason reason, MessageClass messageClass, bool blocks)
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, reason, SuppressionSource.Api, DateTimeOffset.UnixEpoch);

        Assert.Equal(blocks, entry.Blocks(messageClass));
    }

    [Fact]
    public void Matrix_covers_every_reason_and_class()
    {
        var covered = Matrix.Select(row => ((SuppressionReason)row[0], (MessageClass)row[1])).ToHashSet();

        foreach (var reason in Enum.GetValues<SuppressionReason>())
        {
            foreach (var messageClass in Enum.GetValues<MessageClass>())
            {
                Assert.Contains((reason, messageClass), covered);
            }
        }
    }

    [Fact]
    public void Unsubscribe_blocks_marketing_but_not_transactional()
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.UnixEpoch);

        Assert.True(entry.Blocks(MessageClass.Marketing));
        Assert.False(entry.Blocks(MessageClass.Transactional));
    }

    [Fact]
    public void Hard_bounce_blocks_transactional_mail_too()
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Dsn, DateTimeOffset.UnixEpoch);

        Assert.True(entry.Blocks(MessageClass.Transactional));
    }

    [Theory]
    [InlineData(SuppressionSource.OneClick)]
    [InlineData(SuppressionSource.Import)]
    [InlineData(SuppressionSource.Api)]
    public void Whether_an_entry_blocks_does_not_depend_on_its_source_or_scope(SuppressionSource source)
    {
        var global = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Complaint, source, DateTimeOffset.UnixEpoch);
        var topic = global with { Scope = SuppressionScope.ForTopic("acme", "newsletter") };

        Assert.Equal(global.Blocks(MessageClass.Marketing), topic.Blocks(MessageClass.Marketing));
        Assert.Equal(global.Blocks(MessageClass.Transactional), topic.Blocks(MessageClass.Transactional));
    }
}
