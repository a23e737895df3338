namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A test that runs a private Postfix MTA (<see cref="PostfixUpstream"/>); skipped, saying why, where it cannot.</summary>
public sealed class PostfixUpstreamFactAttribute : FactAttribute
{
    public PostfixUpstreamFactAttribute()
    {
        if (PostfixUpstream.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
