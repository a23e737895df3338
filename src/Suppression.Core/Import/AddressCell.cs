namespace Suppression.Import;

/// <summary>
/// How an address is written to a CSV export, and read back from one. '=', '+', '-' and '@' are
/// legal at the start of a local part (<c>=1+2@example.com</c>), and a spreadsheet would run such a
/// cell as a formula (OWASP "CSV injection"), so a leading apostrophe makes it text. To stay
/// lossless, an address that itself starts with an apostrophe gets one too, and an import of the
/// gateway's own format removes exactly one apostrophe from a cell that starts with one followed by
/// one of these characters. An export from before the convention reads back the same, unless an
/// address began with an apostrophe and then one of them.
/// </summary>
public static class AddressCell
{
    private const char Guard = '\'';

    public static string? Write(string? address) =>
        address is { Length: > 0 } && IsGuarded(address[0]) ? Guard + address : address;

    /// <summary>The address a cell of the gateway's own export holds.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> cell) =>
        cell.Length > 1 && cell[0] == (byte)Guard && IsGuarded((char)cell[1]) ? cell[1..] : cell;

    // Spreadsheets start a formula at '=', '+', '-' or '@', and some at a tab or a carriage return.
    private static bool IsGuarded(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r' or Guard;
}
