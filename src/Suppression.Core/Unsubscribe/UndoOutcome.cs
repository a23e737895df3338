namespace Suppression.Unsubscribe;

public enum UndoOutcome
{
    /// <summary>The unsubscribe made with this link was removed.</summary>
    Undone,

    /// <summary>There was no unsubscribe from this link to undo (never made, or already undone).</summary>
    NothingToUndo,

    /// <summary>The unsubscribe is older than the undo window; only an audited re-consent can remove it now.</summary>
    WindowPassed,
}
