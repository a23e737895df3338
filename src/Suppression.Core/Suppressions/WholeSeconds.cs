namespace Suppression.Suppressions;

/// <summary>
/// Times kept in whole seconds, in UTC: an entry's creation time and a token's issue time are stored
/// as Unix seconds, so rounding down where they are made keeps what is read back equal to what was written.
/// </summary>
public static class WholeSeconds
{
    public static DateTimeOffset ToWholeSeconds(this DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
