namespace Suppression.Gateway.Apis;

/// <summary>
/// Where the confirmation page's follow-up forms post. Relative URLs, so the pages work behind a
/// path prefix in Suppression:PublicBaseUrl: from /u/{token} they are "{token}/undo", from
/// /u/{token}/widen they are "undo". A token is base64url, so it needs no escaping in an attribute.
/// </summary>
public sealed record FollowUpActions(string Widen, string Undo, TimeSpan UndoWindow)
{
    public static FollowUpActions FromTokenPage(string token, TimeSpan undoWindow) => new(token + "/widen", token + "/undo", undoWindow);

    public static FollowUpActions FromActionPage(TimeSpan undoWindow) => new("widen", "undo", undoWindow);
}
