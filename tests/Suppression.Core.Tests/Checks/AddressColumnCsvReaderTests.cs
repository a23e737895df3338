using System.Text;
using Suppression.Checks;
using Suppression.Core.Tests.Import;
using Suppression.Import;

namespace Suppression.Core.Tests.Checks;

public sealed class AddressColumnCsvReaderTests
{
    [Theory]
    [InlineData("email")]
    [InlineData("Email")]
    [InlineData(" ADDRESS ")]
    public async Task Addresses_come_from_the_email_or_address_column_in_file_order_whatever_else_the_rows_hold(string column)
    {
        var csv = $"name,{column},plan\r\n\"Doe, Jane\",jane@example.com,gold\nBob,\"bob,\"\"quoted\"\"@example.com\",\n\r\nCarl,carl@example.com,x\r\n";

        var inputs = await ReadAsync(csv, readSize: 7);

        Assert.Equal(["jane@example.com", "bob,\"quoted\"@example.com", "carl@example.com"], inputs.Select(input => input.Address));
        Assert.All(inputs, input => Assert.Null(input.Problem));
    }

    [Fact]
    public async Task Row_without_the_column_is_a_problem_naming_its_line_and_reading_goes_on()
    {
        var inputs = await ReadAsync("id,email\n1\n2,two@example.com\n", readSize: 4096);

        Assert.Null(inputs[0].Address);
        Assert.Equal("line 2: the row has no column 2", inputs[0].Problem);
        Assert.Equal("two@example.com", inputs[1].Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("name,mail\njane,jane@example.com\n")]
    [InlineData("jane@example.com\n")]
    public async Task File_without_a_header_naming_the_column_is_refused_before_any_row(string csv)
    {
        var exception = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(csv, readSize: 4096));

        Assert.Contains("'email' or 'address'", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<List<AddressInput>> ReadAsync(string csv, int readSize)
    {
        var inputs = new List<AddressInput>();
        await foreach (var input in AddressColumnCsvReader.ReadAsync(new ChunkedStream(Encoding.UTF8.GetBytes(csv), readSize), CancellationToken.None))
        {
            inputs.Add(input);
        }

        return inputs;
    }
}
