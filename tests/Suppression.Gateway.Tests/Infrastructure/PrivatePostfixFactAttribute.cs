namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A test that runs a private Postfix MTA (<see cref="PrivatePostfix"/>); skipped, saying why, where it cannot.</summary>
public sealed class PrivatePostfixFactAttribute : FactAttribute
{
    /// <summary>Whether Postfix's SMTP client logs in (SASL PLAIN or LOGIN through Cyrus SASL's modules).</summary>
    public bool NeedsSaslPlain { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? PrivatePostfix.Unavailable ?? (NeedsSaslPlain ? PrivatePostfix.SaslPlainUnavailable : null);
        set => base.Skip = value;
    }
}
