namespace Suppression.Testing.Dkim;

/// <summary>A theory that needs both python3-dkim and Perl's Mail::DKIM; skipped, saying which is missing, where one is not installed.</summary>
public sealed class DkimVerifiersTheoryAttribute : TheoryAttribute
{
    public DkimVerifiersTheoryAttribute()
    {
        if ((PythonDkimVerifier.SkipReason ?? PerlDkimVerifier.SkipReason) is { } reason)
        {
            Skip = reason;
        }
    }
}
