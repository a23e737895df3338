using Microsoft.Extensions.Time.Testing;
using Suppression.Cli.Progress;

namespace Suppression.Cli.Tests.Progress;

public sealed class ProgressLineTests
{
    [Fact]
    public void Each_draw_returns_to_the_line_start_and_blanks_what_a_longer_text_left()
    {
        using var error = new StringWriter();
        var line = new ProgressLine(error, 80, TimeProvider.System);

        line.Draw("received 10.0 MB, 1,000 lines");
        line.Finish("done");

        Assert.Equal("\rreceived 10.0 MB, 1,000 lines\r" + "done".PadRight(29) + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Disposing_ends_a_drawn_line_once_and_draws_nothing_after()
    {
        using var error = new StringWriter();
        var line = new ProgressLine(error, 80, TimeProvider.System);

        line.Draw("[###.......]  30%");
        line.Dispose();
        line.Draw("ignored");
        line.Dispose();

        Assert.Equal("\r[###.......]  30%" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Disposing_a_line_never_drawn_writes_nothing()
    {
        using var error = new StringWriter();
        new ProgressLine(error, 80, TimeProvider.System).Dispose();

        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void A_redraw_is_due_at_once_and_then_only_every_tenth_of_a_second()
    {
        using var error = new StringWriter();
        var time = new FakeTimeProvider();
        var line = new ProgressLine(error, 80, time);
        Assert.True(line.IsDue);

        line.Draw("1%");
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(line.IsDue);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(line.IsDue);
    }

    [Fact]
    public void The_last_column_is_left_free_so_the_cursor_does_not_wrap()
    {
        using var error = new StringWriter();

        Assert.Equal(79, new ProgressLine(error, 80, TimeProvider.System).Width);
    }
}
