using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Suppression.Smtp.Tenants;

/// <summary>
/// Checks one SMTP user's password in constant time. Every password, clear or configured as a hash,
/// is held as PBKDF2-SHA256 (salted), so a memory dump does not reveal a clear password and a guess
/// costs the same whichever way the password was configured.
/// </summary>
public sealed class PasswordVerifier
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 100_000;
    private const int MinimumIterations = 10_000;
    private const int HashBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _hash;
    private readonly int _iterations;

    private PasswordVerifier(byte[] salt, byte[] hash, int iterations)
    {
        _salt = salt;
        _hash = hash;
        _iterations = iterations;
    }

    /// <summary>Stands in for an unknown user, so a wrong name takes as long as a wrong password.</summary>
    public static PasswordVerifier Decoy { get; } = FromPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public static PasswordVerifier FromPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        return new(salt, Derive(password, salt, DefaultIterations), DefaultIterations);
    }

    /// <summary>Reads <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PasswordVerifier? verifier)
    {
        verifier = null;
        var parts = text?.Split('$');
        if (parts is not [Scheme, var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < MinimumIterations)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(saltText);
            var hash = Convert.FromBase64String(hashText);
            if (salt.Length < 8 || hash.Length != HashBytes)
            {
                return false;
            }

            verifier = new(salt, hash, iterations);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The configuration value for a password, as <c>PasswordHash</c> takes it.</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(Derive(password, salt, iterations))}");
    }

    public bool Verify(string password) => CryptographicOperations.FixedTimeEquals(Derive(password, _salt, _iterations), _hash);

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
