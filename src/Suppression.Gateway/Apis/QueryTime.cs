using System.Globalization;

namespace Suppression.Gateway.Apis;

/// <summary>The <c>from</c>/<c>to</c> query parameters of the API: an ISO 8601 date or time, UTC unless it says otherwise.</summary>
internal static class QueryTime
{
    public const string Expected = "Use an ISO 8601 date (2026-11-23) or time (2026-11-23T10:00:00Z).";

    // A date alone means the whole day: from its start, to its end ("to=2026-11-23" includes the 23rd).
    public static bool TryParse(string? text, bool endOfDay, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            time = new DateTimeOffset((endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

}
