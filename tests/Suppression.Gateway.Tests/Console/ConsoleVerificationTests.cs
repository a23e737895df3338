using System.Net;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// The dashboard's verification button, against a trail that is intact and then one with a record
/// edited by hand in the store. Embedded store only: editing a record in a shared Redis would break
/// the chains of every other test run using it.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed partial class ConsoleVerificationTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Verify_says_intact_and_after_a_record_is_edited_in_the_store_broken_at_its_chain_and_sequence()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var address = Mail.UniqueAddress("tampered");
        await fixture.UnsubscribeThenBlockAsync(gateway, address);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var intact = await VerifyAsync(client);
        Assert.Matches(IntactPattern(), intact);

        // The unsubscribe's record in its bucket's chain of changes (sup:a:{bucket}): "<sequence>\t<hash>\t<ms>\t<address>\t<body>".
        var layout = (RedisKeyLayout)gateway.Services.GetService(typeof(RedisKeyLayout))!;
        var bucket = layout.Locate(AddressNormalizer.Normalize(address)).Bucket;
        var chainKey = layout.ChainKeys(bucket).Changes;
        var redis = ((IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!).GetDatabase();
        var elements = await redis.ListRangeAsync(chainKey);
        var index = Array.FindIndex(elements, element => element.ToString().Contains("\t" + address + "\t", StringComparison.Ordinal));
        Assert.True(index >= 0, $"no record of {address} in {chainKey}");
        var original = elements[index].ToString();
        var edited = original.Replace("\"reason\":\"unsubscribe\"", "\"reason\":\"manual\"", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        await redis.ListSetByIndexAsync(chainKey, index, edited);
        try
        {
            var broken = await VerifyAsync(client);
            Assert.Contains(
                $"<p class=\"status broken\" role=\"alert\"><strong>BROKEN</strong> at chain c-{bucket} sequence {original.Split('\t')[0]}: "
                + "the hash does not match the record: it was edited, or a record before it was.",
                broken,
                StringComparison.Ordinal);
        }
        finally
        {
            await redis.ListSetByIndexAsync(chainKey, index, original);
        }

        Assert.Matches(IntactPattern(), await VerifyAsync(client));
    }

    [Fact]
    public async Task The_dashboard_charts_the_last_30_days_as_inline_svg_with_a_table_for_screen_readers()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        await fixture.UnsubscribeThenBlockAsync(gateway, Mail.UniqueAddress("chart"));
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var dashboard = (await client.GetAsync("/console")).Body;

        Assert.Contains("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("<title id=\"chart-title\">Unsubscribes, complaints, bounces, blocked deliveries and overridden opt-outs per day, ", dashboard, StringComparison.Ordinal);
        foreach (var legend in new[] { "Unsubscribes", "Complaints", "Bounces", "Blocked deliveries", "Overridden opt-outs" })
        {
            Assert.Contains($"fill=\"currentColor\">{legend}</text>", dashboard, StringComparison.Ordinal);
        }

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var row = Regex.Match(dashboard, $"<tr><th scope=\"row\">{today}</th><td class=\"num\">(?<unsubscribes>[\\d,]+)</td><td class=\"num\">[\\d,]+</td><td class=\"num\">[\\d,]+</td><td class=\"num\">(?<blocked>[\\d,]+)</td><td class=\"num\">[\\d,]+</td></tr>");
        Assert.True(row.Success, "the table has no row for today");
        Assert.True(int.Parse(row.Groups["unsubscribes"].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(int.Parse(row.Groups["blocked"].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(30, Regex.Count(dashboard, "<tr><th scope=\"row\">"));
    }

    // Presses the button (POST, then 303 back) and returns the dashboard it leads to.
    private static async Task<string> VerifyAsync(ConsoleClient client)
    {
        var pressed = await client.SubmitAsync("/console", "/console/verify");
        Assert.True(pressed.Status == HttpStatusCode.SeeOther && pressed.Location == "/console", $"verify: {pressed}");
        return (await client.GetAsync("/console")).Body;
    }

    [GeneratedRegex("<p class=\"status ok\" role=\"status\">Intact: [\\d,]+ records in [\\d,]+ chains, checked at <time")]
    private static partial Regex IntactPattern();
}
