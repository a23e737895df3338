using System.Text;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

public sealed class BasicCredentialsTests
{
    private static string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    [Fact]
    public void The_configured_pair_matches() => Assert.True(BasicCredentials.Match(Basic("hook:s3cret-s3cret-s3cret"), "hook", "s3cret-s3cret-s3cret"));

    [Theory]
    [InlineData("hook:s3cret-s3cret-s3creT")]
    [InlineData("Hook:s3cret-s3cret-s3cret")]
    [InlineData("hook:")]
    [InlineData(":s3cret-s3cret-s3cret")]
    [InlineData("hooks3cret-s3cret-s3cret")]
    public void Any_other_pair_does_not(string pair) => Assert.False(BasicCredentials.Match(Basic(pair), "hook", "s3cret-s3cret-s3cret"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer aG9vazpzM2NyZXQ=")]
    [InlineData("Basic not base64!")]
    public void A_missing_or_unreadable_header_does_not(string? header) => Assert.False(BasicCredentials.Match(header, "hook", "s3cret-s3cret-s3cret"));
}
