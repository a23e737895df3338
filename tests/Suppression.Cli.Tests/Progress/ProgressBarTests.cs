using Suppression.Cli.Progress;

namespace Suppression.Cli.Tests.Progress;

public sealed class ProgressBarTests
{
    [Fact]
    public void Half_way_fills_half_the_bar_and_uses_the_whole_width()
    {
        var line = ProgressBar.Render(20_000_000, 40_000_000, 50);

        Assert.Equal("[############.............]  50% 20.0 MB / 40.0 MB", line);
        Assert.Equal(50, line.Length);
    }

    [Fact]
    public void Nothing_sent_is_an_empty_bar_at_0_percent()
    {
        Assert.Equal("[" + new string('.', 27) + "]   0% 0 B / 40.0 MB", ProgressBar.Render(0, 40_000_000, 48));
    }

    [Fact]
    public void Everything_sent_is_a_full_bar_at_100_percent()
    {
        Assert.Equal("[#########################] 100% 40.0 MB / 40.0 MB", ProgressBar.Render(40_000_000, 40_000_000, 50));
    }

    [Fact]
    public void An_empty_file_is_complete()
    {
        Assert.Equal("[##########] 100% 0 B / 0 B", ProgressBar.Render(0, 0, 27));
    }

    [Fact]
    public void More_than_the_total_is_shown_as_100_percent_not_beyond()
    {
        Assert.Equal("[#####################] 100% 50 B / 40 B", ProgressBar.Render(50, 40, 40));
    }

    [Theory]
    [InlineData(30, " 50% 20.0 MB / 40.0 MB")]
    [InlineData(10, " 50%")]
    [InlineData(3, " 50")]
    public void A_narrow_terminal_drops_the_bar_then_the_sizes(int width, string expected)
    {
        Assert.Equal(expected, ProgressBar.Render(20_000_000, 40_000_000, width));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(41)]
    public void The_bar_fills_exactly_the_width_given(int width)
    {
        for (long sent = 0; sent <= 1_000; sent += 37)
        {
            Assert.Equal(width, ProgressBar.Render(sent, 1_000, width).Length);
        }
    }

    [Fact]
    public void A_download_shows_bytes_and_lines_received()
    {
        Assert.Equal("received 12.3 MB, 304,112 lines", ProgressBar.RenderReceived(12_345_678, 304_112, 80));
        Assert.Equal("received 12.3 MB", ProgressBar.RenderReceived(12_345_678, 304_112, 16));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1_000, "1.0 kB")]
    [InlineData(999_999, "1.0 MB")]
    [InlineData(40_000_000, "40.0 MB")]
    [InlineData(1_500_000_000, "1.5 GB")]
    public void Sizes_are_in_decimal_units_with_one_decimal(long bytes, string expected)
    {
        Assert.Equal(expected, ProgressBar.FormatBytes(bytes));
    }
}
