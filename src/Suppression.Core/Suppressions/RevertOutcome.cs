namespace Suppression.Suppressions;

/// <summary>What <see cref="ISuppressionStore.RevertAsync"/> did.</summary>
public enum RevertOutcome
{
    /// <summary>The entry was removed, with its record.</summary>
    Reverted,

    /// <summary>A newer record asks for the same scope (another link, a complaint, the API...): nothing was changed.</summary>
    Superseded,

    /// <summary>There is no entry of that scope any more: nothing was changed.</summary>
    NothingToRevert,
}
