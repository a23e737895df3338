using Suppression.Smtp.Delivery;

namespace Suppression.Smtp.Tests.Delivery;

public sealed class UpstreamTextTests
{
    [Fact]
    public void Enhanced_code_is_split_off() =>
        Assert.Equal(("5.1.1", "User unknown"), UpstreamText.Clean("5.1.1 User unknown"));

    [Fact]
    public void Enhanced_code_alone_leaves_empty_text() =>
        Assert.Equal(("4.7.1", string.Empty), UpstreamText.Clean("4.7.1"));

    [Theory]
    [InlineData("User unknown")]
    [InlineData("5.1.1x User unknown")]
    [InlineData("6.1.1 User unknown")]
    [InlineData("550 5.1.1 User unknown")]
    [InlineData("5.1234.1 User unknown")]
    public void Text_without_a_leading_enhanced_code_is_kept_whole(string text) =>
        Assert.Equal((null, text), UpstreamText.Clean(text));

    [Fact]
    public void Line_breaks_and_control_characters_become_spaces() =>
        Assert.Equal((null, "first  second third"), UpstreamText.Clean("first\r\nsecond\tthird\0"));

    [Fact]
    public void Non_ascii_becomes_spaces_so_the_reply_stays_ascii() =>
        Assert.Equal((null, "Postfach  berf llt"), UpstreamText.Clean("Postfach \u00fcberf\u00fcllt"));

    [Fact]
    public void Surrounding_whitespace_is_trimmed() =>
        Assert.Equal(("5.2.2", "Mailbox full"), UpstreamText.Clean("  5.2.2   Mailbox full \r\n"));

    [Fact]
    public void Long_text_is_cut_at_300_characters()
    {
        var (_, text) = UpstreamText.Clean(new string('a', 1000));

        Assert.Equal(300, text.Length);
    }
}
