using System.Text;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

public sealed class SnsMessageTests : IDisposable
{
    private readonly TestSnsEndpoints _sns = new();

    public void Dispose() => _sns.Dispose();

    private static SnsMessage Parse(string json) => SnsMessage.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", true)]
    [InlineData("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem", true)]
    [InlineData("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", false)]
    [InlineData("https://sns.us-east-1.amazonaws.com:8443/cert.pem", false)]
    [InlineData("https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem", false)]
    [InlineData("https://s3.amazonaws.com/cert.pem", false)]
    [InlineData("https://attacker.example/sns.us-east-1.amazonaws.com", false)]
    [InlineData("not a url", false)]
    public void Only_https_on_an_sns_host_is_amazons(string url, bool expected) => Assert.Equal(expected, SnsMessage.IsSnsHost(url, out _));

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void A_notification_signed_with_the_certificates_key_verifies(string version)
    {
        var message = Parse(SnsRequests.Signed(SnsRequests.Notification("{}"), _sns.Key, version));

        Assert.Null(message.SignatureProblem(_sns.Certificate));
    }

    [Fact]
    public void A_notification_without_a_subject_verifies()
    {
        var notification = SnsRequests.Notification("{}");
        notification.Remove("Subject");

        Assert.Null(Parse(SnsRequests.Signed(notification, _sns.Key)).SignatureProblem(_sns.Certificate));
    }

    [Fact]
    public void A_subscription_confirmation_signed_with_the_key_verifies() =>
        Assert.Null(Parse(SnsRequests.Signed(SnsRequests.SubscriptionConfirmation(), _sns.Key, "2")).SignatureProblem(_sns.Certificate));

    [Fact]
    public void A_changed_field_an_unknown_version_or_another_key_does_not()
    {
        using var other = new TestSnsEndpoints();
        var signed = System.Text.Json.Nodes.JsonNode.Parse(SnsRequests.Signed(SnsRequests.Notification("{}"), _sns.Key))!;
        var changed = signed.DeepClone();
        changed["Timestamp"] = "2016-01-27T14:59:39.237Z";
        var version = signed.DeepClone();
        version["SignatureVersion"] = "3";

        Assert.NotNull(Parse(changed.ToJsonString()).SignatureProblem(_sns.Certificate));
        Assert.Contains("SignatureVersion", Parse(version.ToJsonString()).SignatureProblem(_sns.Certificate), StringComparison.Ordinal);
        Assert.NotNull(Parse(signed.ToJsonString()).SignatureProblem(other.Certificate));
    }

    [Fact]
    public void A_version_1_signature_does_not_pass_as_version_2()
    {
        var signed = System.Text.Json.Nodes.JsonNode.Parse(SnsRequests.Signed(SnsRequests.Notification("{}"), _sns.Key, "1"))!;
        signed["SignatureVersion"] = "2";

        Assert.NotNull(Parse(signed.ToJsonString()).SignatureProblem(_sns.Certificate));
    }
}
