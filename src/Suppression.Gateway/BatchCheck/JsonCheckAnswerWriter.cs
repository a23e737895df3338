using System.Text.Json;
using Suppression.Smtp.Delivery;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// The answer to a JSON request: <c>{"context": {...}, "results": [answers], "counts": {...},
/// "complete": true}</c>, or <c>"complete": false</c> and an <c>error</c> after the results when the
/// check stopped half-way.
/// </summary>
public sealed class JsonCheckAnswerWriter(HttpResponse response) : ICheckAnswerWriter
{
    private Utf8JsonWriter? _json;

    public bool HasBegun => _json is not null;

    public void Begin(MessageContext context)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        _json = new Utf8JsonWriter(response.BodyWriter, CheckAnswerJson.WriterOptions);
        _json.WriteStartObject();
        CheckAnswerJson.WriteContext(_json, context);
        _json.WriteStartArray("results");
    }

    public void Write(in CheckAnswer answer) => CheckAnswerJson.WriteAnswer(Json, answer);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Json.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public ValueTask EndAsync(CheckCounts counts, CancellationToken cancellationToken)
    {
        Json.WriteEndArray();
        CheckAnswerJson.WriteCounts(Json, counts);
        Json.WriteBoolean("complete", true);
        Json.WriteEndObject();
        return FlushAsync(cancellationToken);
    }

    public ValueTask FailAsync(CheckFailure failure, CheckCounts counts, CancellationToken cancellationToken)
    {
        Json.WriteEndArray();
        CheckAnswerJson.WriteCounts(Json, counts);
        CheckAnswerJson.WriteFailure(Json, failure);
        Json.WriteEndObject();
        return FlushAsync(cancellationToken);
    }

    public void Dispose() => _json?.Dispose();

    private Utf8JsonWriter Json => _json ?? throw new InvalidOperationException("Begin was not called.");
}
