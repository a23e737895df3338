using System.Security.Claims;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Apis;
using Suppression.Suppressions;

namespace Suppression.Gateway.Console;

/// <summary>
/// The console's downloads, written by the same <see cref="ExportStreams"/> the API uses, so a file
/// from here equals the API's file for the same filter. An address is sent in a POST body, never in
/// the URL.
/// </summary>
public static class ConsoleDownloads
{
    /// <summary>GET /console/download/audit?format=csv|ndjson&amp;type=&amp;from=&amp;to=</summary>
    public static async Task<IResult> AuditAsync(
        HttpContext http, IAuditTrail trail, TimeProvider time, ILoggerFactory loggers, string? format, string[]? type, string? from, string? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(trail);
        if (Csv(format) is not { } csv)
        {
            return BadFormat(http);
        }

        var filter = AuditFilter.Parse(type, from, to, after: null);
        if (filter.ToQuery(out var field, out var error) is not { } query)
        {
            return AuditPage.Invalid(ConsoleView.For(http), filter, field!, error!);
        }

        Log(http, loggers, $"audit {format} (type {string.Join(',', filter.Types)}, from {filter.From}, to {filter.To})");
        await ExportStreams.WriteAuditAsync(http.Response, trail.SearchAsync(query, cancellationToken), csv, time, cancellationToken);
        return Results.Empty;
    }

    /// <summary>POST /console/download/address with the form fields address and format.</summary>
    public static async Task<IResult> AddressAsync(HttpContext http, IAuditTrail trail, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(trail);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var format = form["format"].ToString();
        if (Csv(format) is not { } csv)
        {
            return BadFormat(http);
        }

        var typed = form["address"].ToString();
        if (!AddressNormalizer.TryNormalize(typed, out var address, out var error))
        {
            return AddressPage.Form(ConsoleView.For(http), typed, error);
        }

        Log(http, loggers, $"address history {format}");
        await ExportStreams.WriteAuditAsync(http.Response, trail.SearchAsync(new AuditQuery(address), cancellationToken), csv, time, cancellationToken);
        return Results.Empty;
    }

    /// <summary>GET /console/download/suppressions?format=csv|ndjson</summary>
    public static async Task<IResult> SuppressionsAsync(HttpContext http, ISuppressionList list, TimeProvider time, ILoggerFactory loggers, string? format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(list);
        if (Csv(format) is not { } csv)
        {
            return BadFormat(http);
        }

        Log(http, loggers, $"suppression list {format}");
        await ExportStreams.WriteSuppressionsAsync(http.Response, list.ExportAsync(cancellationToken), csv, time, cancellationToken);
        return Results.Empty;
    }

    private static bool? Csv(string? format) => format switch
    {
        "csv" => true,
        "ndjson" => false,
        _ => null,
    };

    private static ConsolePage BadFormat(HttpContext http) =>
        MessagePage.BadRequest(ConsoleView.For(http), "Unknown download format", "Downloads come as format=csv or format=ndjson.");

    // Who exported what is worth a line in the log; the address of an address download is not.
    private static void Log(HttpContext http, ILoggerFactory loggers, string what) =>
        loggers.CreateLogger(typeof(ConsoleDownloads)).ConsoleDownload(http.User.FindFirstValue(ConsoleAuthentication.ActorClaim), what);
}
