using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

/// <summary>
/// The store's format marker, <c>sup:format</c>: the format every gateway writes field values in.
/// Writers read it with the value they change (one more command in the same round trip), so a
/// change of the marker takes effect on the very next write of every instance.
/// </summary>
/// <remarks>
/// Why a marker rather than a setting: a gateway that cannot read the compact format (any version
/// before it) finds no entry in a compact value and would deliver, failing open. So compact values
/// are written only once someone has said, by setting the marker, that no such gateway runs against
/// this store: <see cref="RedisStorageUpgrade"/> after an upgrade, or this class on a store that
/// has never been written to.
/// </remarks>
public static class StorageFormatMarker
{
    /// <summary>The format a marker names: none or "1" is text, "2" compact, "3" hashed.</summary>
    /// <exception cref="UnknownStorageFormatException">A marker a later version wrote: writing now could lose what it stores.</exception>
    public static StorageFormat Parse(RedisValue marker) => (string?)marker switch
    {
        null or "" or "1" => StorageFormat.Text,
        "2" => StorageFormat.Compact,
        "3" => StorageFormat.Hashed,
        var other => throw new UnknownStorageFormatException(other),
    };

    public static async Task<StorageFormat> ReadAsync(IDatabase database, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(layout);
        return Parse(await database.StringGetAsync(layout.FormatKey));
    }

    /// <summary>
    /// Moves the marker forward to <paramref name="format"/> (compact or hashed), atomically, and
    /// never back: of two upgrades racing, the later format stays marked.
    /// </summary>
    /// <returns>The format marked afterwards: <paramref name="format"/>, or a later one already there.</returns>
    /// <exception cref="UnknownStorageFormatException">A later version's marker is there.</exception>
    public static async Task<StorageFormat> AdvanceAsync(IDatabase database, RedisKeyLayout layout, StorageFormat format)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(layout);
        return Parse((RedisValue)await database.ScriptEvaluateAsync(Scripts.RedisScripts.AdvanceFormat, [layout.FormatKey], [Marker(format)]));
    }

    /// <summary>Sets the marker whatever it was (tests, and a store being prepared by hand).</summary>
    public static Task SetAsync(IDatabase database, RedisKeyLayout layout, StorageFormat format)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(layout);
        return database.StringSetAsync(layout.FormatKey, Marker(format));
    }

    private static string Marker(StorageFormat format) => ((int)format).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Marks a store that holds no key of this gateway's prefix with <paramref name="newStoreFormat"/>
    /// (compact unless the operator chose hashed): nothing in it can be misread by an older gateway.
    /// A store with data keeps its marker (or its absence) until an operator runs the upgrade.
    /// </summary>
    /// <returns>The format writers use after the call.</returns>
    /// <exception cref="UnknownStorageFormatException">A later version's marker: the gateway must not start.</exception>
    /// <exception cref="SuppressionStoreUnavailableException">Redis did not answer.</exception>
    public static async Task<StorageFormat> InitializeAsync(IConnectionMultiplexer connection, RedisKeyLayout layout, StorageFormat newStoreFormat = StorageFormat.Compact)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        try
        {
            return await InitializeUntranslatedAsync(connection, layout, newStoreFormat);
        }
        catch (Exception exception) when (exception is not UnknownStorageFormatException && RedisResilience.Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private static async Task<StorageFormat> InitializeUntranslatedAsync(IConnectionMultiplexer connection, RedisKeyLayout layout, StorageFormat newStoreFormat)
    {
        var database = connection.GetDatabase();
        var marker = await database.StringGetAsync(layout.FormatKey);
        if (!marker.IsNull)
        {
            return Parse(marker);
        }

        if (await HoldsAnyKeyAsync(connection, layout))
        {
            return StorageFormat.Text;
        }

        // NX: two instances starting on one empty store agree; one that finds a marker reads it.
        await database.StringSetAsync(layout.FormatKey, Marker(newStoreFormat), when: When.NotExists);
        return await ReadAsync(database, layout);
    }

    // SCAN on every primary (a cluster spreads the buckets over all of them) until the first key.
    private static async Task<bool> HoldsAnyKeyAsync(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        var pattern = EscapeGlob(layout.Prefix) + "*";
        var primaries = connection.GetServers().Where(server => !server.IsReplica).ToList();
        if (primaries.Count == 0 || primaries.Exists(server => !server.IsConnected))
        {
            // A primary out of reach may be the one holding data: assume it does.
            return true;
        }

        foreach (var server in primaries)
        {
            await foreach (var _ in server.KeysAsync(pattern: pattern, pageSize: 1000))
            {
                return true;
            }
        }

        return false;
    }

    private static string EscapeGlob(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("*", "\\*", StringComparison.Ordinal)
            .Replace("?", "\\?", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
}

/// <summary>
/// The store's format marker names a format this version does not know. A RedisException, so a
/// write that meets it is refused like any store failure (451 on SMTP, 503 on HTTP), never made.
/// </summary>
public sealed class UnknownStorageFormatException(string marker)
    : RedisException($"The suppression store's format marker (sup:format) is '{marker}', which this gateway version does not know: a later version wrote it. Upgrade this gateway.");
