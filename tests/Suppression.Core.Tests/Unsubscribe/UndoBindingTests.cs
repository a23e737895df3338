using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

/// <summary>The Undo form's binding opens only for the link it was sealed for, unaltered, with a key the gateway still has.</summary>
public sealed class UndoBindingTests
{
    private static readonly UndoableChange[] Changes =
    [
        new(SuppressionScope.ForTopic("acme", "deals"), new AuditPosition("c-00a1f", 7)),
        new(SuppressionScope.ForTenant("acme"), new AuditPosition("c-00a1f", 9)),
    ];

    private readonly UnsubscribeTokenCodec _codec = TestKeys.Codec(TestKeys.Key(1));

    [Fact]
    public void A_binding_opens_for_its_own_link_with_the_changes_it_was_sealed_with()
    {
        var link = Link("jane@example.com");

        Assert.True(_codec.TryOpenUndo(link, _codec.SealUndo(link, Changes), out var opened));
        Assert.Equal(Changes, opened);
    }

    [Fact]
    public void Another_links_binding_an_altered_one_or_junk_opens_nothing()
    {
        var link = Link("jane@example.com");
        var other = Link("jane@example.com");
        var binding = _codec.SealUndo(other, Changes);
        var forged = _codec.SealUndo(link, [Changes[0] with { Record = new AuditPosition("c-00a1f", 8) }]);
        var parts = forged.Split('.');

        Assert.False(_codec.TryOpenUndo(link, binding, out _));
        Assert.False(_codec.TryOpenUndo(link, parts[0] + "." + _codec.SealUndo(link, Changes).Split('.')[1] + "." + parts[2], out _));
        Assert.False(_codec.TryOpenUndo(link, null, out _));
        Assert.False(_codec.TryOpenUndo(link, "", out _));
        Assert.False(_codec.TryOpenUndo(link, "1.x.y", out _));
        Assert.False(_codec.TryOpenUndo(link, new string('a', 5000), out _));
        Assert.False(TestKeys.Codec(TestKeys.Key(1, fill: 3)).TryOpenUndo(link, _codec.SealUndo(link, Changes), out _));
    }

    [Fact]
    public void A_binding_sealed_before_a_key_rotation_still_opens()
    {
        var link = Link("jane@example.com");
        var binding = _codec.SealUndo(link, Changes);

        Assert.True(TestKeys.Codec(TestKeys.Key(1), TestKeys.Key(2)).TryOpenUndo(link, binding, out var opened));
        Assert.Equal(Changes, opened);
    }

    private string Link(string address) => _codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), "acme", "deals", DateTimeOffset.UtcNow));
}
