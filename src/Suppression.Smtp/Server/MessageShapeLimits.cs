namespace Suppression.Smtp.Server;

/// <summary>
/// Bounds on what MimeKit will be asked to parse, checked on the lines of a DATA block as they arrive.
/// <paramref name="MaxBoundaryLines"/> counts lines that begin with "--", as every MIME boundary
/// delimiter does (RFC 2046 5.1.1): an upper bound on the parts, found without parsing one.
/// </summary>
public sealed record MessageShapeLimits(int MaxHeaderBytes, int MaxHeaderFieldBytes, int MaxBoundaryLines)
{
    public static readonly MessageShapeLimits None = new(int.MaxValue, int.MaxValue, int.MaxValue);
}
