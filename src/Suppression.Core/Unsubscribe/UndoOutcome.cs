namespace Suppression.Unsubscribe;

public enum UndoOutcome
{
    /// <summary>The unsubscribe made with this link was removed.</summary>
    Undone,

    /// <summary>There was no unsubscribe from this link to undo (never made, or already undone).</summary>
    NothingToUndo,

    /// <summary>A newer request asked for the same opt-out (another link, a complaint, the API): it is no longer only this page's to undo.</summary>
    Superseded,

    /// <summary>The unsubscribe is older than the undo window; only an audited re-consent can remove it now.</summary>
    WindowPassed,
}
