using System.Security.Cryptography;

namespace Suppression.Smtp.Tests.Dkim;

/// <summary>Two 2048-bit RSA keys written as PEM files, generated once per test class.</summary>
public sealed class DkimTestKeys : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dkim-keys-");

    public DkimTestKeys()
    {
        using var first = RSA.Create(2048);
        using var second = RSA.Create(2048);

        // One key of each PEM flavour MimeKit-based signers meet in the wild.
        First = Write("first.pem", first, first.ExportRSAPrivateKeyPem());
        Second = Write("second.pem", second, second.ExportPkcs8PrivateKeyPem());
    }

    public DkimTestKey First { get; }

    public DkimTestKey Second { get; }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private DkimTestKey Write(string name, RSA rsa, string pem) =>
        new(WriteFile(name, pem), $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}");
}
