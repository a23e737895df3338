using Suppression.Gateway.Access;
using Suppression.Suppressions;

namespace Suppression.Gateway.Tests.Access;

/// <summary>The one rule every endpoint that shows or changes entries applies to a tenant key.</summary>
public sealed class TenantViewTests
{
    private static readonly TenantView Acme = TenantView.ForTenant("acme");

    [Theory]
    [InlineData("global", true, false)]
    [InlineData("tenant:acme", true, true)]
    [InlineData("topic:acme/news", true, true)]
    [InlineData("tenant:globex", false, false)]
    [InlineData("topic:globex/news", false, false)]
    [InlineData("tenant:acme2", false, false)]
    public void Tenant_sees_global_and_its_own_scopes_and_changes_only_its_own(string scope, bool sees, bool changes)
    {
        Assert.True(SuppressionScope.TryParse(scope, out var parsed));

        Assert.Equal(sees, Acme.MaySee(parsed));
        Assert.Equal(changes, Acme.MayChange(parsed));
        Assert.True(TenantView.Everything.MaySee(parsed));
        Assert.True(TenantView.Everything.MayChange(parsed));
    }

    [Fact]
    public void Tenant_may_ask_only_about_its_own_mail_and_defaults_to_its_tenant_scope()
    {
        Assert.True(Acme.MayActFor("acme"));
        Assert.False(Acme.MayActFor("globex"));
        Assert.False(Acme.MayActFor(null));
        Assert.True(TenantView.Everything.MayActFor("globex"));
        Assert.Equal("tenant:acme", Acme.DefaultScope.ToString());
        Assert.Equal("global", TenantView.Everything.DefaultScope.ToString());
    }

    [Fact]
    public void Visible_keeps_the_order_and_drops_other_tenants_entries()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        SuppressionEntry Entry(SuppressionScope scope) => new(scope, SuppressionReason.Unsubscribe, SuppressionSource.Api, at);
        var entries = new[]
        {
            Entry(SuppressionScope.ForTenant("globex")), Entry(SuppressionScope.ForTopic("acme", "news")), Entry(SuppressionScope.Global), Entry(SuppressionScope.ForTopic("globex", "news")),
        };

        var visible = Acme.Visible(entries);

        Assert.Equal(["topic:acme/news", "global"], visible.Select(entry => entry.Scope.ToString()));
        Assert.Same(entries, TenantView.Everything.Visible(entries));
    }
}
