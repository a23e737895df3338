namespace Suppression.Gateway.Unsubscribe;

/// <summary>What saving the form did, by the names the page shows: stopped, received again, and asked for but not the page's to change.</summary>
public sealed record PreferenceChanges(IReadOnlyList<string> Stopped, IReadOnlyList<string> Resumed, IReadOnlyList<string> NotChanged)
{
    public int Count => Stopped.Count + Resumed.Count;
}
