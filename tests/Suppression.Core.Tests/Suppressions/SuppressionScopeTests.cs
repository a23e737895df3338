using Suppression.Suppressions;

namespace Suppression.Core.Tests.Suppressions;

public class SuppressionScopeTests
{
    public static TheoryData<string> ContractForms => new()
    {
        "global",
        "tenant:acme",
        "tenant:Acme-EU_2.prod",
        "topic:acme/newsletter",
        "topic:acme/weekly-digest_v2.en",
        "tenant:" + new string('t', 64),
        "topic:" + new string('t', 64) + "/" + new string('n', 64),
    };

    public static TheoryData<string> Invalid => new()
    {
        "Global",
        "GLOBAL",
        "everyone",
        "tenant",
        "tenant:",
        "Tenant:acme",
        "tenant:acme corp",
        "tenant:acme/newsletter",
        "tenant:acme:eu",
        "tenant:" + new string('t', 65),
        "tenant:ac\u00e9me",
        "topic:",
        "topic:acme",
        "topic:acme/",
        "topic:/newsletter",
        "topic:acme/news/letter",
        "topic:acme/news letter",
        "topic:" + new string('t', 65) + "/newsletter",
        "topic:acme/" + new string('n', 65),
        " global",
        "tenant: acme",
    };

    [Theory]
    [MemberData(nameof(ContractForms))]
    public void Contract_form_parses_and_formats_back_to_itself(string text)
    {
        Assert.True(SuppressionScope.TryParse(text, out var scope));
        Assert.Equal(text, scope.ToString());
        Assert.True(SuppressionScope.TryParse(scope.ToString(), out var again));
        Assert.Equal(scope, again);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Malformed_scope_is_rejected(string text)
    {
        Assert.False(SuppressionScope.TryParse(text, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("global")]
    public void Missing_or_global_scope_parses_as_global(string? text)
    {
        Assert.True(SuppressionScope.TryParse(text, out var scope));
        Assert.Equal(SuppressionScope.Global, scope);
        Assert.Equal(ScopeKind.Global, scope.Kind);
        Assert.Null(scope.Tenant);
        Assert.Null(scope.Topic);
    }

    [Fact]
    public void Parsed_tenant_scope_equals_the_constructed_one()
    {
        Assert.True(SuppressionScope.TryParse("tenant:acme", out var parsed));

        var constructed = SuppressionScope.ForTenant("acme");

        Assert.Equal(constructed, parsed);
        Assert.Equal(ScopeKind.Tenant, parsed.Kind);
        Assert.Equal("acme", parsed.Tenant);
        Assert.Null(parsed.Topic);
    }

    [Fact]
    public void Parsed_topic_scope_equals_the_constructed_one()
    {
        Assert.True(SuppressionScope.TryParse("topic:acme/newsletter", out var parsed));

        var constructed = SuppressionScope.ForTopic("acme", "newsletter");

        Assert.Equal(constructed, parsed);
        Assert.Equal(ScopeKind.Topic, parsed.Kind);
        Assert.Equal("acme", parsed.Tenant);
        Assert.Equal("newsletter", parsed.Topic);
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme corp")]
    [InlineData("acme/eu")]
    [InlineData("acme:eu")]
    public void Invalid_tenant_id_cannot_make_a_scope(string tenant)
    {
        Assert.Throws<FormatException>(() => SuppressionScope.ForTenant(tenant));
        Assert.Throws<FormatException>(() => SuppressionScope.ForTopic(tenant, "newsletter"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("news letter")]
    [InlineData("news/letter")]
    public void Invalid_topic_cannot_make_a_scope(string topic)
    {
        Assert.Throws<FormatException>(() => SuppressionScope.ForTopic("acme", topic));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("acme", null)]
    [InlineData("acme", "newsletter")]
    [InlineData("globex", "offers")]
    public void Global_scope_covers_all_mail(string? tenant, string? topic)
    {
        Assert.True(SuppressionScope.Global.Covers(tenant, topic));
    }

    [Theory]
    [InlineData("acme", null, true)]
    [InlineData("acme", "newsletter", true)]
    [InlineData("acme", "offers", true)]
    [InlineData("globex", null, false)]
    [InlineData("globex", "newsletter", false)]
    [InlineData(null, null, false)]
    [InlineData("ACME", null, false)]
    public void Tenant_scope_covers_every_topic_of_that_tenant_only(string? tenant, string? topic, bool covered)
    {
        Assert.Equal(covered, SuppressionScope.ForTenant("acme").Covers(tenant, topic));
    }

    [Theory]
    [InlineData("acme", "newsletter", true)]
    [InlineData("acme", "offers", false)]
    [InlineData("acme", null, false)]
    [InlineData("globex", "newsletter", false)]
    [InlineData(null, "newsletter", false)]
    [InlineData(null, null, false)]
    public void Topic_scope_covers_that_topic_of_that_tenant_only(string? tenant, string? topic, bool covered)
    {
        Assert.Equal(covered, SuppressionScope.ForTopic("acme", "newsletter").Covers(tenant, topic));
    }

    [Fact]
    public void Scope_kinds_are_ordered_from_widest_to_narrowest()
    {
        Assert.True(ScopeKind.Global < ScopeKind.Tenant);
        Assert.True(ScopeKind.Tenant < ScopeKind.Topic);
    }
}
