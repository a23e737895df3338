
namespace Suppression.Smtp.Tests.Dkim;

/// <summary>A private key file and the TXT record that publishes its public half (RFC 6376 3.6.1).</summary>
public sealed record DkimTestKey(string PrivateKeyFile, string TxtRecord);
