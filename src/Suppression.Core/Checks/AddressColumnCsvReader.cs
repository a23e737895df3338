using System.Runtime.CompilerServices;
using System.Text;
using Suppression.Import;

namespace Suppression.Checks;

/// <summary>
/// Reads the addresses of a CSV file for a batch check: the column named <c>email</c> or
/// <c>address</c> (any case) of a file with a header row, every other column ignored, one
/// <see cref="AddressInput"/> per record in file order, in bounded memory whatever the file's size
/// (the import's record reader: RFC 4180 quoting, a byte-order mark, CRLF or LF).
/// </summary>
public static class AddressColumnCsvReader
{
    private static readonly string[] ColumnNames = ["email", "address"];

    /// <param name="csv">UTF-8 text; read to its end, not disposed.</param>
    /// <exception cref="ImportFormatException">The file is empty or its header names no address column; thrown before the first row.</exception>
    public static async IAsyncEnumerable<AddressInput> ReadAsync(Stream csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var records = new CsvRecordReader(csv);
        if (!await records.ReadAsync(cancellationToken))
        {
            throw new ImportFormatException("The file is empty: it needs a header row with an 'email' or 'address' column.");
        }

        var column = AddressColumn(records);
        while (await records.ReadAsync(cancellationToken))
        {
            yield return records.Problem is { } problem ? new AddressInput(null, $"line {records.Line}: {problem}")
                : column >= records.FieldCount ? new AddressInput(null, $"line {records.Line}: the row has no column {column + 1}")
                : new AddressInput(Encoding.UTF8.GetString(records.Field(column)));
        }
    }

    private static int AddressColumn(CsvRecordReader records)
    {
        if (records.Problem is { } problem)
        {
            throw new ImportFormatException($"The header row cannot be read: {problem}.");
        }

        for (var i = 0; i < records.FieldCount; i++)
        {
            var name = Encoding.UTF8.GetString(records.Field(i)).Trim();
            if (ColumnNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ImportFormatException("The header row names no 'email' or 'address' column (any case): the check needs one of them to find the addresses.");
    }
}
