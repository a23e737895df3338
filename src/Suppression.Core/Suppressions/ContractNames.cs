namespace Suppression.Suppressions;

/// <summary>
/// The spellings of reasons and sources in the public contract (API bodies, exports, audit):
/// <c>hard-bounce</c>, <c>one-click</c>. Stored and wire forms go through here, never through
/// <c>Enum.ToString()</c>, so renaming an enum member cannot change the contract.
/// </summary>
public static class ContractNames
{
    private static readonly Dictionary<SuppressionReason, string> ReasonNames = new()
    {
        [SuppressionReason.Unsubscribe] = "unsubscribe",
        [SuppressionReason.Complaint] = "complaint",
        [SuppressionReason.HardBounce] = "hard-bounce",
        [SuppressionReason.Manual] = "manual",
        [SuppressionReason.Import] = "import",
        [SuppressionReason.Erasure] = "erasure",
    };

    private static readonly Dictionary<SuppressionSource, string> SourceNames = new()
    {
        [SuppressionSource.OneClick] = "one-click",
        [SuppressionSource.Mailto] = "mailto",
        [SuppressionSource.Page] = "page",
        [SuppressionSource.Api] = "api",
        [SuppressionSource.Import] = "import",
        [SuppressionSource.Dsn] = "dsn",
        [SuppressionSource.Arf] = "arf",
        [SuppressionSource.Relay] = "relay",
        [SuppressionSource.ProviderEvent] = "provider-event",
        [SuppressionSource.Preferences] = "preferences",
    };

    public static string Name(this SuppressionReason reason) => ReasonNames[reason];

    public static string Name(this SuppressionSource source) => SourceNames[source];

    public static bool TryParseReason(string? name, out SuppressionReason reason) => TryParse(ReasonNames, name, out reason);

    public static bool TryParseSource(string? name, out SuppressionSource source) => TryParse(SourceNames, name, out source);

    public static IEnumerable<string> AllReasonNames => ReasonNames.Values;

    private static bool TryParse<T>(Dictionary<T, string> names, string? name, out T value)
        where T : struct, Enum
    {
        foreach (var (key, text) in names)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                value = key;
                return true;
            }
        }

        value = default;
        return false;
    }
}
