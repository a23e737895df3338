namespace Suppression.Cli.Progress;

/// <summary>
/// One line on a terminal's standard error, redrawn in place with a carriage return, at most ten
/// times a second however often the transfer reports. Disposing it ends the line if the transfer
/// stopped early, so an error message that follows starts on a line of its own.
/// </summary>
internal sealed class ProgressLine(TextWriter error, int width, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private long _drawnAt;
    private int _drawnLength;
    private bool _finished;

    /// <summary>Columns available; one less than the terminal's, so the cursor never wraps to a new line.</summary>
    public int Width { get; } = Math.Max(1, width - 1);

    public bool IsDue => _drawnAt == 0 || time.GetElapsedTime(_drawnAt) >= Interval;

    public void Draw(string text)
    {
        if (_finished)
        {
            return;
        }

        // Spaces over whatever the previous, longer text left behind.
        error.Write('\r' + text.PadRight(_drawnLength));
        error.Flush();
        _drawnLength = text.Length;
        _drawnAt = time.GetTimestamp();
    }

    /// <summary>Draws the final state and moves to the next line, so later output starts clean.</summary>
    public void Finish(string text)
    {
        Draw(text);
        End();
    }

    public void Dispose() => End();

    private void End()
    {
        if (!_finished && _drawnAt != 0)
        {
            error.WriteLine();
        }

        _finished = true;
    }
}
