namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A test that runs a private Postfix MTA (<see cref="PrivatePostfix"/>); skipped, saying why, where it cannot.</summary>
public sealed class PrivatePostfixFactAttribute : FactAttribute
{
    public PrivatePostfixFactAttribute()
    {
        if (PrivatePostfix.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
