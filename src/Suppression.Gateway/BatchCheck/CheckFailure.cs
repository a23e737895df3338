namespace Suppression.Gateway.BatchCheck;

/// <summary>Why a check stopped after answers were already sent: the last record of the stream, in its format.</summary>
public sealed record CheckFailure(int Status, string Title, string Detail);
