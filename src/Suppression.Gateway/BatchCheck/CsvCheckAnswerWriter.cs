using System.Globalization;
using System.Text;
using Suppression.Gateway.Audit;
using Suppression.Import;
using Suppression.Smtp.Delivery;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// The answer to a CSV request: a header row, one row per address, then one end row with no
/// address whose verdict is <c>complete</c> (the counts in <c>error</c>'s place) or, when the check
/// stopped half-way, <c>incomplete</c> (with why).
/// </summary>
public sealed class CsvCheckAnswerWriter(HttpResponse response) : ICheckAnswerWriter
{
    public const string Header = "address,verdict,scope,reason,source,created_at,error";
    public const string CompleteVerdict = "complete";
    public const string IncompleteVerdict = "incomplete";

    public bool HasBegun { get; private set; }

    public void Begin(MessageContext context)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        Append(Header + "\r\n");
        HasBegun = true;
    }

    public void Write(in CheckAnswer answer)
    {
        var entry = answer.Entry;
        Append(Csv.Row(
            AddressCell.Write(answer.Address),
            CheckVerdictNames.Of(answer.Verdict),
            entry?.Scope,
            entry?.Reason,
            entry?.Source,
            entry?.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            answer.Error));
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await response.BodyWriter.FlushAsync(cancellationToken);

    public ValueTask EndAsync(CheckCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Append(Csv.Row(null, CompleteVerdict, null, null, null, null, string.Create(
            CultureInfo.InvariantCulture, $"{counts.Total} addresses: {counts.Deliver} deliver, {counts.Suppressed} suppressed, {counts.Invalid} invalid")));
        return FlushAsync(cancellationToken);
    }

    public ValueTask FailAsync(CheckFailure failure, CheckCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(counts);
        Append(Csv.Row(null, IncompleteVerdict, null, null, null, null, string.Create(
            CultureInfo.InvariantCulture, $"{failure.Status} {failure.Title}: {failure.Detail} Only the {counts.Total} answers above were checked.")));
        return FlushAsync(cancellationToken);
    }

    public void Dispose()
    {
    }

    private void Append(string text) => Encoding.UTF8.GetBytes(text, response.BodyWriter);
}
