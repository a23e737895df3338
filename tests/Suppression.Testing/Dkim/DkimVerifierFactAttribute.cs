namespace Suppression.Testing.Dkim;

/// <summary>A test that needs Debian's python3-dkim; skipped, saying why, where it is not installed.</summary>
public sealed class DkimVerifierFactAttribute : FactAttribute
{
    public DkimVerifierFactAttribute()
    {
        if (PythonDkimVerifier.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
