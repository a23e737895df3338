using Suppression.Smtp.Delivery;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// Writes a check's answers in the request's format. Nothing is sent before <see cref="Begin"/>,
/// so a failure before the first answers is still a plain problem response. Every stream ends in
/// a record saying whether it is complete (<see cref="EndAsync"/>) or not (<see cref="FailAsync"/>):
/// one without either was cut off.
/// </summary>
public interface ICheckAnswerWriter : IDisposable
{
    bool HasBegun { get; }

    void Begin(MessageContext context);

    void Write(in CheckAnswer answer);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    ValueTask EndAsync(CheckCounts counts, CancellationToken cancellationToken);

    ValueTask FailAsync(CheckFailure failure, CheckCounts counts, CancellationToken cancellationToken);
}
