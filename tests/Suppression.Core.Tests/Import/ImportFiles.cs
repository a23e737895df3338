using System.Text;
using Suppression.Import;
using Suppression.Suppressions;

namespace Suppression.Core.Tests.Import;

internal sealed record ImportFileRead(IReadOnlyList<ImportRow> Rows, ImportReadResult Result)
{
    public ImportRow Row(long line) => Rows.Single(row => row.Line == line);
}

internal static class ImportFiles
{
    public static Task<ImportFileRead> ReadAsync(string csv, SuppressionScope? defaultScope = null) =>
        ReadAsync(Encoding.UTF8.GetBytes(csv), defaultScope);

    public static Task<ImportFileRead> ReadAsync(byte[] csv, SuppressionScope? defaultScope = null, int chunkSize = int.MaxValue) =>
        ReadAsync(new ChunkedStream(csv, chunkSize), defaultScope);

    public static Task<ImportFileRead> ReadAsync(Stream csv, SuppressionScope? defaultScope = null) =>
        ReadAsync(csv, ImportOptions.ForScope(defaultScope ?? SuppressionScope.Global));

    /// <summary>A file of tests/corpus/import-samples, read in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public static Task<ImportFileRead> ReadSampleAsync(string name, ImportOptions? options = null, int chunkSize = int.MaxValue) =>
        ReadAsync(new ChunkedStream(File.ReadAllBytes(SamplePath(name)), chunkSize), options ?? ImportOptions.ForScope(SuppressionScope.Global));

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "corpus", "import-samples", name);

    public static async Task<ImportFileRead> ReadAsync(Stream csv, ImportOptions options)
    {
        var result = new ImportReadResult();
        var rows = new List<ImportRow>();
        await foreach (var row in SuppressionCsvReader.ReadAsync(csv, options, result, CancellationToken.None))
        {
            rows.Add(row);
        }

        return new ImportFileRead(rows, result);
    }

    public static void AssertAccepted(ImportRow row, string address, SuppressionReason reason, DateTimeOffset? occurredAt)
    {
        Assert.False(row.IsRejected, $"line {row.Line} was rejected: {row.Error}");
        Assert.Equal(address, row.Target.Address?.Value);
        Assert.Equal(reason, row.Reason);
        Assert.Equal(occurredAt, row.OccurredAt);
    }

    public static void AssertRejected(ImportRow row, string error)
    {
        Assert.True(row.IsRejected, $"line {row.Line} was accepted as {row.Target}");
        Assert.Contains(error, row.Error, StringComparison.Ordinal);
    }
}
