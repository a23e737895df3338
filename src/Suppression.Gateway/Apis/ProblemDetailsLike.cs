namespace Suppression.Gateway.Apis;

/// <summary>An RFC 9457 body for typed results that cannot carry ProblemHttpResult (NotFound&lt;T&gt;).</summary>
public sealed record ProblemDetailsLike(string Title, int Status, string Detail);
