namespace Suppression.Testing.Dkim;

/// <summary>A theory that needs Debian's python3-dkim; skipped, saying why, where it is not installed.</summary>
public sealed class DkimVerifierTheoryAttribute : TheoryAttribute
{
    public DkimVerifierTheoryAttribute()
    {
        if (PythonDkimVerifier.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
