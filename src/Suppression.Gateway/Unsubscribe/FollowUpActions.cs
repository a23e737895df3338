namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Where the confirmation page's follow-up forms post, and what their Undo may revert. Relative URLs,
/// so the pages work behind a path prefix in Suppression:PublicBaseUrl: from /u/{token} they are
/// "{token}/undo", from /u/{token}/widen they are "undo". A token is base64url, so it needs no
/// escaping in an attribute.
/// </summary>
/// <param name="UndoBinding">
/// The sealed list of what this page's requests added (UnsubscribeTokenCodec.SealUndo), carried in
/// both forms as <see cref="UndoField"/>; null when they added nothing, and then there is no Undo.
/// </param>
public sealed record FollowUpActions(string Widen, string Undo, TimeSpan UndoWindow, string? UndoBinding)
{
    public const string UndoField = "undo";

    public static FollowUpActions FromTokenPage(string token, TimeSpan undoWindow, string? undoBinding) =>
        new(token + "/widen", token + "/undo", undoWindow, undoBinding);

    public static FollowUpActions FromActionPage(TimeSpan undoWindow, string? undoBinding) => new("widen", "undo", undoWindow, undoBinding);
}
