namespace Suppression.Cli.Tests.Infrastructure;

/// <summary>One request as the fake gateway saw it on the wire.</summary>
public sealed record ReceivedRequest(
    string Method,
    string RawTarget,
    string? Authorization,
    string? ContentType,
    long? ContentLength,
    bool Chunked,
    byte[] Body);
