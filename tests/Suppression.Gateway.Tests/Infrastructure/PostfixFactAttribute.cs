namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A test that needs Postfix's smtp-sink; skipped, saying why, where it is not installed.</summary>
public sealed class PostfixFactAttribute : FactAttribute
{
    public PostfixFactAttribute()
    {
        if (!PostfixSmtpSink.IsInstalled)
        {
            Skip = $"Postfix's smtp-sink is not installed at {PostfixSmtpSink.ExecutablePath} (Debian: apt-get install postfix).";
        }
    }
}
