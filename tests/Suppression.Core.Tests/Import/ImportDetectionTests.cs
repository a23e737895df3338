using System.Text;
using Suppression.Import;
using Suppression.Suppressions;
using static Suppression.Core.Tests.Import.ImportFiles;

namespace Suppression.Core.Tests.Import;

// The detector decides what a file is from its first line alone, so every sample, and every
// export's header beside its look-alikes, must come out as itself and nothing else.
public class ImportDetectionTests
{
    // Options that fit every format: a manual list with evidence for those without reasons.
    private static readonly ImportOptions AnyFormat = new(SuppressionScope.Global, Evidence: "detection test");

    public static TheoryData<string, string> Samples => new()
    {
        { "address-list-email.csv", "address-list" },
        { "address-list-headerless.txt", "address-list" },
        { "address-list-semicolon-padded.csv", "address-list" },
        { "mailchimp-unsubscribed.csv", "mailchimp-unsubscribed" },
        { "mailchimp-cleaned.csv", "mailchimp-cleaned" },
        { "hubspot-unsubscribes-and-bounces.csv", "hubspot" },
        { "brevo-blocked-contacts.csv", "brevo-blocked" },
        { "brevo-contacts-blocklisted.csv", "brevo-contacts" },
        { "klaviyo-suppressed-profiles.csv", "klaviyo" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_is_detected_as_its_own_format(string sample, string format)
    {
        var read = await ReadSampleAsync(sample, AnyFormat);

        Assert.Equal(format, read.Result.FormatName);
    }

    [Fact]
    public void Every_sample_in_the_folder_has_an_expected_format()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(SamplePath("x"))!)
            .Select(Path.GetFileName)
            .Where(name => name is not ("README.md" or ".gitattributes"));

        Assert.Equal(Samples.Select(row => (string)row[0]).Order(), files.Order());
    }

    [Theory]
    [InlineData("Email Address", "address-list")]
    [InlineData("Email Address,UNSUB_TIME", "mailchimp-unsubscribed")]
    [InlineData("Email Address,CLEAN_TIME", "mailchimp-cleaned")]
    [InlineData("Email,Portal Bounce,Portal Unsubscribe,Portal Spam Report", "hubspot")]
    [InlineData("email,senderEmail,reason,blockedAt", "brevo-blocked")]
    [InlineData("EMAIL;ADDED_TIME;MODIFIED_TIME", "brevo-contacts")]
    [InlineData("Email,Suppression Reason", "klaviyo")]
    [InlineData("email,created", "sendgrid-unsubscribes")]
    [InlineData("email,created,reason", "sendgrid-invalid-emails")]
    [InlineData("address,created_at", "mailgun-complaints")]
    [InlineData("EmailAddress,Reason,LastUpdateTime", "ses")]
    [InlineData("address,address_hash,scope,reason,source,created_at,batch", "gateway")]
    public async Task Each_header_is_its_own_format_beside_its_look_alikes(string header, string format)
    {
        var read = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(header + "\n")), AnyFormat);

        Assert.Equal(format, read.Result.FormatName);
    }

    [Theory]
    [InlineData("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,LAST_CHANGED,LEID,EUID")] // Mailchimp's subscribed members
    [InlineData("Email Address,UNSUB_TIME,CLEAN_TIME")]
    [InlineData("email,name")]
    [InlineData("EMAIL;FIRSTNAME;LASTNAME")] // a Brevo export without its mandatory columns
    [InlineData("Email,Portal Bounce")]
    public async Task Header_of_a_list_that_is_not_a_suppression_list_is_refused(string header)
    {
        await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(header + "\nx@example.com\n")), AnyFormat));
    }
}
