using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Suppression.Smtp.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

public sealed class DkimOptionsTests(DkimTestKeys keys) : IClassFixture<DkimTestKeys>
{
    [Fact]
    public void Signers_bind_from_the_documented_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Suppression:Dkim:Signers:0:Domain"] = "example.com",
            ["Suppression:Dkim:Signers:0:Selector"] = "s2025",
            ["Suppression:Dkim:Signers:0:PrivateKeyFile"] = keys.First.PrivateKeyFile,
            ["Suppression:Dkim:Signers:1:Domain"] = "example.org",
            ["Suppression:Dkim:Signers:1:Selector"] = "mail.s1",
            ["Suppression:Dkim:Signers:1:PrivateKeyFile"] = keys.Second.PrivateKeyFile,
        }).Build();

        var options = configuration.GetSection(DkimOptions.SectionName).Get<DkimOptions>()!;

        Assert.Equal(["example.com", "example.org"], options.Signers.Select(signer => signer.Domain));
        Assert.Equal(["s2025", "mail.s1"], options.Signers.Select(signer => signer.Selector));
        Assert.Empty(DkimOptions.Validate(options));
    }

    [Fact]
    public void No_signers_is_valid() => Assert.Empty(DkimOptions.Validate(new DkimOptions()));

    [Fact]
    public void Pkcs1_and_pkcs8_keys_are_both_accepted() =>
        Assert.Empty(DkimOptions.Validate(Options(("example.com", "a", keys.First.PrivateKeyFile), ("example.org", "b", keys.Second.PrivateKeyFile))));

    [Fact]
    public void Missing_key_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".pem");

        Assert.Equal(
            [$"Suppression:Dkim:Signers:0:PrivateKeyFile: file '{path}' does not exist"],
            DkimOptions.Validate(Options(("example.com", "sel", path))));
    }

    [Fact]
    public void Key_file_that_is_not_an_rsa_private_key_is_named()
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var files = new[]
        {
            keys.WriteFile("text.pem", "not a key"),
            keys.WriteFile("public.pem", rsa.ExportSubjectPublicKeyInfoPem()),
            keys.WriteFile("ec.pem", ecdsa.ExportPkcs8PrivateKeyPem()),
            keys.WriteFile("encrypted.pem", rsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000))),
        };

        foreach (var file in files)
        {
            Assert.Equal(
                [$"Suppression:Dkim:Signers:0:PrivateKeyFile: file '{file}' is not an RSA private key in PEM (PKCS#1 or unencrypted PKCS#8)"],
                DkimOptions.Validate(Options(("example.com", "sel", file))));
        }
    }

    [Fact]
    public void Key_shorter_than_1024_bits_is_refused()
    {
        using var rsa = RSA.Create(768);
        var file = keys.WriteFile("short.pem", rsa.ExportRSAPrivateKeyPem());

        var error = Assert.Single(DkimOptions.Validate(Options(("example.com", "sel", file))));
        Assert.StartsWith("Suppression:Dkim:Signers:0:PrivateKeyFile: ", error, StringComparison.Ordinal);
        Assert.Contains("768-bit", error, StringComparison.Ordinal);
        Assert.Contains("at least 1024 bits", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.com")]
    [InlineData("example..com")]
    [InlineData("[192.0.2.1]")]
    public void Invalid_domain_is_named(string domain) =>
        Assert.Equal(
            [$"Suppression:Dkim:Signers:0:Domain: '{domain}' is not a domain name"],
            DkimOptions.Validate(Options((domain, "sel", keys.First.PrivateKeyFile))));

    [Theory]
    [InlineData("")]
    [InlineData("sel_2025")]
    [InlineData("-sel")]
    [InlineData("a..b")]
    [InlineData("séléctor")]
    public void Invalid_selector_is_named(string selector)
    {
        var error = Assert.Single(DkimOptions.Validate(Options(("example.com", selector, keys.First.PrivateKeyFile))));

        Assert.StartsWith($"Suppression:Dkim:Signers:0:Selector: '{selector}' is not a selector", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_domain_twice_is_named_even_when_written_differently()
    {
        var errors = DkimOptions.Validate(Options(
            ("xn--bcher-kva.example", "a", keys.First.PrivateKeyFile),
            ("Bücher.example", "b", keys.Second.PrivateKeyFile)));

        Assert.Equal(["Suppression:Dkim:Signers:1:Domain: 'Bücher.example' already has a signer (Suppression:Dkim:Signers:0)"], errors);
    }

    [Fact]
    public void Every_bad_key_gets_its_own_line()
    {
        var errors = DkimOptions.Validate(Options(("example.com", "sel", keys.First.PrivateKeyFile), ("", "", "")));

        Assert.Equal(
            [
                "Suppression:Dkim:Signers:1:Domain: '' is not a domain name",
                "Suppression:Dkim:Signers:1:Selector: '' is not a selector (letters, digits and hyphens in dot-separated labels, RFC 6376 3.1)",
                "Suppression:Dkim:Signers:1:PrivateKeyFile: must name a PEM file with the RSA private key",
            ],
            errors);
    }

    private static DkimOptions Options(params (string Domain, string Selector, string PrivateKeyFile)[] signers) =>
        new()
        {
            Signers = signers.Select(signer => new DkimSignerOptions { Domain = signer.Domain, Selector = signer.Selector, PrivateKeyFile = signer.PrivateKeyFile }).ToArray(),
        };
}
