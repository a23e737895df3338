using System.Runtime.CompilerServices;
using System.Text;
using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>
/// Reads a suppression-list file for import: our own export, an ESP's (SES, SendGrid, Mailgun,
/// Postmark), a marketing platform's (Mailchimp, HubSpot, Brevo, Klaviyo) or a plain list of
/// addresses, recognised by its header row. Rows come one at a time in bounded memory, whatever
/// the file's size; a row that cannot be imported comes back with its line and the reason, and
/// does not stop the rest.
/// </summary>
public static class SuppressionCsvReader
{
    /// <param name="csv">UTF-8 text; a leading byte-order mark is skipped. Read to its end, not disposed.</param>
    /// <param name="defaultScope">The scope of every row, except in our own export, whose rows carry theirs.</param>
    /// <param name="result">Receives the format once the header is read and the file digest once the last row is.</param>
    /// <exception cref="ImportFormatException">The file is empty or its header row matches no supported export.</exception>
    public static IAsyncEnumerable<ImportRow> ReadAsync(Stream csv, SuppressionScope defaultScope, ImportReadResult result, CancellationToken cancellationToken) =>
        ReadAsync(csv, ImportOptions.ForScope(defaultScope), result, cancellationToken);

    /// <param name="csv">UTF-8 text; a leading byte-order mark is skipped. Read to its end, not disposed.</param>
    /// <param name="options">The scope of every row (our own export's rows carry theirs) and the reason of rows that give none.</param>
    /// <param name="result">Receives the format once the header is read and the file digest once the last row is.</param>
    /// <exception cref="ImportFormatException">The file is empty or its header row matches no supported export.</exception>
    /// <exception cref="ImportOptionsException">The options do not fit the file's format; thrown before the first row.</exception>
    public static async IAsyncEnumerable<ImportRow> ReadAsync(
        Stream csv,
        ImportOptions options,
        ImportReadResult result,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        using var records = new CsvRecordReader(csv);
        if (!await records.ReadAsync(cancellationToken))
        {
            throw new ImportFormatException("The file is empty: it needs a header row naming its columns.");
        }

        if (records.Problem is { } problem)
        {
            throw new ImportFormatException($"The header row cannot be read: {problem}.");
        }

        var layout = ImportFormatDetector.Detect(FirstLine(records));
        result.Format = layout.Format;
        options.CheckFits(layout.Format);
        var rows = new ImportRowParser(layout, options);
        if (layout.FirstLineIsData)
        {
            yield return rows.Parse(records);
        }

        while (await records.ReadAsync(cancellationToken))
        {
            yield return rows.Parse(records);
        }

        result.FileDigest = records.FileDigest;
    }

    private static string[] FirstLine(CsvRecordReader records)
    {
        var fields = new string[records.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Encoding.UTF8.GetString(records.Field(i)).Trim();
        }

        return fields;
    }
}
