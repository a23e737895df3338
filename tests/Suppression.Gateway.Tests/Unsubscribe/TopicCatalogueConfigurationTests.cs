using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Hosting;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>The topic catalogue's keys: a bad one stops start-up with one line naming it; good ones reach the page.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class TopicCatalogueConfigurationTests
{
    [Theory]
    [InlineData("--Suppression:Tenants:0:Topics:0:Visible=true", "Suppression:Tenants:0:Topics:0:Name: must be set")]
    [InlineData("--Suppression:Tenants:0:PrivacyUrl=http://acme.example/privacy", "Suppression:Tenants:0:PrivacyUrl: 'http://acme.example/privacy' is not an absolute https URL")]
    [InlineData("--Suppression:Tenants:0:PrivacyUrl=/privacy", "Suppression:Tenants:0:PrivacyUrl: '/privacy' is not an absolute https URL")]
    [InlineData("--Suppression:Tenants:0:Topics:0:Class=Promotional", "Suppression:Tenants:0:Topics:0:Class: 'Promotional' must be Marketing or Transactional")]
    [InlineData("--Suppression:Tenants:0:Topics:0:Class=Transactional", "Suppression:Tenants:0:Topics:0:Class: is Transactional, which needs Suppression:Tenants:0:AllowTransactional=true")]
    [InlineData("--Suppression:Tenants:0:DisplayName=Acme\u0007", "Suppression:Tenants:0:DisplayName: must be 1-100 characters")]
    [InlineData("--Suppression:Tenants:0:Topics:0:Name:deutsch!=Angebote", "Suppression:Tenants:0:Topics:0:Name:deutsch!: 'deutsch!' is not a language tag")]
    [InlineData("--Suppression:Tenants:0:Topics:0:Description:fr=Les offres", "Suppression:Tenants:0:Topics:0:Description:fr: needs Suppression:Tenants:0:Topics:0:Description")]
    [InlineData("--Suppression:Tenants:0:Topics:0:Titel=Deals", "Suppression:Tenants:N:Topics:M:Titel: unknown configuration key")]
    [InlineData("--Suppression:Unsubscribe:OrganizationName= ", "Suppression:Unsubscribe:OrganizationName: must be 1-100 characters")]
    [InlineData("--Suppression:Tenants:0:AccentColor=#ffcc00", "Suppression:Tenants:0:AccentColor: #ffcc00 gives the buttons' white text a contrast of 1.5:1; at least 4.5:1 is needed")]
    [InlineData("--Suppression:Tenants:0:AccentColor=green", "Suppression:Tenants:0:AccentColor: 'green' is not a colour of the form #rrggbb")]
    [InlineData("--Suppression:Tenants:0:LogoFile=/nonexistent/logo.png", "Suppression:Tenants:0:LogoFile: '/nonexistent/logo.png' does not exist")]
    [InlineData("--Suppression:Tenants:0:LogoFile=/etc/hostname", "Suppression:Tenants:0:LogoFile: '/etc/hostname' is not a PNG, JPEG or WebP image")]
    public void A_bad_catalogue_key_stops_start_up_with_one_line_naming_it(string bad, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayHost.Build(Arguments(
            "--Suppression:Tenants:0:Id=acme",
            "--Suppression:Tenants:0:Topics:0:Id=deals",
            bad)));

        Assert.StartsWith(expected, Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalogue_names_the_sender_and_its_lists_in_each_configured_language()
    {
        await using var app = GatewayHost.Build(Arguments(
            "--Suppression:Unsubscribe:OrganizationName=Example Mail",
            "--Suppression:Tenants:0:Id=acme",
            "--Suppression:Tenants:0:DisplayName=Acme Outdoor",
            "--Suppression:Tenants:0:PrivacyUrl=https://acme.example/privacy",
            "--Suppression:Tenants:0:Topics:0:Id=deals",
            "--Suppression:Tenants:0:Topics:0:Name=Deals",
            "--Suppression:Tenants:0:Topics:0:Name:de=Angebote",
            "--Suppression:Tenants:0:Topics:0:Description=Weekly offers",
            "--Suppression:Tenants:0:Topics:1:Id=internal",
            "--Suppression:Tenants:1:Id=bank"));
        var catalogue = app.Services.GetRequiredService<SenderCatalogue>();

        var acme = catalogue.For("acme");
        Assert.Equal(("Acme Outdoor", "https://acme.example/privacy"), (acme.Name, acme.PrivacyUrl?.ToString()));
        var deals = Assert.Single(acme.VisibleTopics);
        Assert.Equal(("Angebote", "Angebote", "Deals", "Weekly offers"), (
            deals.Name!.For(CultureInfo.GetCultureInfo("de")), deals.Name.For(CultureInfo.GetCultureInfo("de-AT")),
            deals.Name.For(CultureInfo.GetCultureInfo("fr")), deals.Description!.For(CultureInfo.GetCultureInfo("de"))));

        // A topic without a name is not visible unless said; a tenant without a display name is the operator's.
        Assert.False(acme.Topic("internal")!.Visible);
        Assert.Equal("Example Mail", catalogue.For("bank").Name);
        Assert.Equal("Example Mail", catalogue.For(null).Name);
    }

    private static string[] Arguments(params string[] settings) =>
    [
        "--hostBuilder:reloadConfigOnChange=false",
        $"--Suppression:DataDirectory={Path.Combine(Path.GetTempPath(), "suppression-config-unused")}",
        .. settings,
    ];
}
