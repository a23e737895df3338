using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// An Amazon SNS HTTP(S) message and its signature
/// (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html and
/// https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html): the fields
/// named there, in that order, each as "name\nvalue\n", signed with RSA (PKCS #1 v1.5) over SHA-1
/// (SignatureVersion 1) or SHA-256 (2) by the certificate at SigningCertURL, which must be https on
/// an sns.&lt;region&gt;.amazonaws.com host.
/// </summary>
public sealed partial class SnsMessage
{
    private readonly Dictionary<string, string> _fields;

    private SnsMessage(Dictionary<string, string> fields) => _fields = fields;

    public string Type => Field("Type") ?? string.Empty;

    public string? MessageId => Field("MessageId");

    public string? TopicArn => Field("TopicArn");

    public string? Message => Field("Message");

    public string? SubscribeUrl => Field("SubscribeURL");

    public string? SigningCertUrl => Field("SigningCertURL");

    /// <exception cref="FormatException">The body is not an SNS message.</exception>
    public static SnsMessage Parse(ReadOnlyMemory<byte> body)
    {
        using var document = ProviderJson.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The body is not an SNS message (a JSON object).");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                fields[property.Name] = property.Value.GetString()!;
            }
        }

        return new SnsMessage(fields);
    }

    /// <summary>Whether the URL is one SNS signs with or confirms from: https on an Amazon host.</summary>
    public static bool IsSnsHost(string? url, out Uri uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri!) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && SnsHost().IsMatch(uri.Host);

    /// <returns>Null when the certificate signed this message; otherwise why not.</returns>
    public string? SignatureProblem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hash = Field("SignatureVersion") switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => (HashAlgorithmName?)null,
        };
        if (hash is null)
        {
            return "the SignatureVersion is neither 1 nor 2";
        }

        if (StringToSign() is not { } signed)
        {
            return $"a {Type} message lacks a field its signature covers";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Field("Signature") ?? string.Empty);
        }
        catch (FormatException)
        {
            return "the Signature is not base64";
        }

        using var key = certificate.GetRSAPublicKey();
        return key is not null && signature.Length > 0 && key.VerifyData(Encoding.UTF8.GetBytes(signed), signature, hash.Value, RSASignaturePadding.Pkcs1)
            ? null
            : "the signature does not match the message";
    }

    // The fields a signature covers, by type; Subject only when present.
    private string? StringToSign()
    {
        string[] names = Type switch
        {
            "Notification" => ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
            "SubscriptionConfirmation" or "UnsubscribeConfirmation" => ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
            _ => [],
        };
        if (names.Length == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var name in names)
        {
            if (Field(name) is { } value)
            {
                text.Append(name).Append('\n').Append(value).Append('\n');
            }
            else if (name != "Subject")
            {
                return null;
            }
        }

        return text.ToString();
    }

    private string? Field(string name) => _fields.TryGetValue(name, out var value) ? value : null;

    // sns.us-east-1.amazonaws.com, sns.cn-north-1.amazonaws.com.cn
    [GeneratedRegex(@"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SnsHost();
}
