using System.Text.Json;
using Suppression.Smtp.Delivery;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// The answer to an NDJSON request: one line per address, then one end line without an
/// <c>address</c>: <c>{"complete": true, "context", "counts"}</c>, or <c>{"complete": false,
/// "error", ...}</c> when the check stopped half-way.
/// </summary>
public sealed class NdjsonCheckAnswerWriter(HttpResponse response) : ICheckAnswerWriter
{
    private Utf8JsonWriter? _json;
    private MessageContext? _context;

    public bool HasBegun => _json is not null;

    public void Begin(MessageContext context)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/x-ndjson";
        _context = context;
        _json = new Utf8JsonWriter(response.BodyWriter, CheckAnswerJson.WriterOptions);
    }

    public void Write(in CheckAnswer answer)
    {
        CheckAnswerJson.WriteAnswer(Json, answer);
        EndLine();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await response.BodyWriter.FlushAsync(cancellationToken);

    public ValueTask EndAsync(CheckCounts counts, CancellationToken cancellationToken)
    {
        Json.WriteStartObject();
        Json.WriteBoolean("complete", true);
        CheckAnswerJson.WriteContext(Json, _context!);
        CheckAnswerJson.WriteCounts(Json, counts);
        Json.WriteEndObject();
        EndLine();
        return FlushAsync(cancellationToken);
    }

    public ValueTask FailAsync(CheckFailure failure, CheckCounts counts, CancellationToken cancellationToken)
    {
        Json.WriteStartObject();
        CheckAnswerJson.WriteFailure(Json, failure);
        CheckAnswerJson.WriteContext(Json, _context!);
        CheckAnswerJson.WriteCounts(Json, counts);
        Json.WriteEndObject();
        EndLine();
        return FlushAsync(cancellationToken);
    }

    // The writer's bytes go to the pipe, then the line feed; Reset starts the next line as a new document.
    private void EndLine()
    {
        Json.Flush();
        var span = response.BodyWriter.GetSpan(1);
        span[0] = (byte)'\n';
        response.BodyWriter.Advance(1);
        Json.Reset();
    }

    public void Dispose() => _json?.Dispose();

    private Utf8JsonWriter Json => _json ?? throw new InvalidOperationException("Begin was not called.");
}
