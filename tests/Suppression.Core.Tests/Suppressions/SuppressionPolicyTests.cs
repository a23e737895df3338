using Suppression.Suppressions;

namespace Suppression.Core.Tests.Suppressions;

public class SuppressionPolicyTests
{
    private static readonly SuppressionScope AcmeTenant = SuppressionScope.ForTenant("acme");
    private static readonly SuppressionScope AcmeNewsletter = SuppressionScope.ForTopic("acme", "newsletter");

    private static SuppressionEntry Entry(SuppressionScope scope, SuppressionReason reason) =>
        new(scope, reason, SuppressionSource.Api, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Address_without_entries_is_not_blocked()
    {
        Assert.Null(SuppressionPolicy.FindBlockingEntry([], MessageClass.Marketing, "acme", "newsletter"));
    }

    [Fact]
    public void Global_unsubscribe_blocks_marketing_of_every_tenant()
    {
        var unsubscribe = Entry(SuppressionScope.Global, SuppressionReason.Unsubscribe);

        Assert.Same(unsubscribe, SuppressionPolicy.FindBlockingEntry([unsubscribe], MessageClass.Marketing, "acme", "newsletter"));
        Assert.Same(unsubscribe, SuppressionPolicy.FindBlockingEntry([unsubscribe], MessageClass.Marketing, "globex", null));
        Assert.Same(unsubscribe, SuppressionPolicy.FindBlockingEntry([unsubscribe], MessageClass.Marketing, null, null));
    }

    [Fact]
    public void Mail_that_answers_to_several_tenants_is_blocked_by_each_ones_tenant_and_topic_entries()
    {
        var scopes = ApplicableScopes.ForAnyOf(new HashSet<string> { "acme", "globex" }, "newsletter");
        var globexWide = Entry(SuppressionScope.ForTenant("globex"), SuppressionReason.Unsubscribe);
        var acmeNewsletter = Entry(AcmeNewsletter, SuppressionReason.Unsubscribe);

        Assert.Same(globexWide, SuppressionPolicy.FindBlockingEntry([globexWide], MessageClass.Marketing, scopes));
        Assert.Same(acmeNewsletter, SuppressionPolicy.FindBlockingEntry([acmeNewsletter], MessageClass.Marketing, scopes));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([Entry(SuppressionScope.ForTenant("initech"), SuppressionReason.Unsubscribe)], MessageClass.Marketing, scopes));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([Entry(SuppressionScope.ForTopic("acme", "deals"), SuppressionReason.Unsubscribe)], MessageClass.Marketing, scopes));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([acmeNewsletter], MessageClass.Marketing, ApplicableScopes.ForAnyOf(new HashSet<string> { "acme" }, topic: null)));
    }

    [Fact]
    public void Transactional_mail_passes_an_unsubscribe()
    {
        SuppressionEntry[] entries =
        [
            Entry(SuppressionScope.Global, SuppressionReason.Unsubscribe),
            Entry(AcmeTenant, SuppressionReason.Complaint),
            Entry(AcmeNewsletter, SuppressionReason.Import),
        ];

        Assert.Null(SuppressionPolicy.FindBlockingEntry(entries, MessageClass.Transactional, "acme", "newsletter"));
    }

    [Fact]
    public void Transactional_mail_is_blocked_by_a_hard_bounce()
    {
        var bounce = Entry(SuppressionScope.Global, SuppressionReason.HardBounce);

        Assert.Same(bounce, SuppressionPolicy.FindBlockingEntry([bounce], MessageClass.Transactional, "acme", null));
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 0, 1)]
    public void Widest_blocking_scope_wins_whatever_the_order(int globalAt, int tenantAt, int topicAt)
    {
        var global = Entry(SuppressionScope.Global, SuppressionReason.Complaint);
        var tenant = Entry(AcmeTenant, SuppressionReason.Unsubscribe);
        var topic = Entry(AcmeNewsletter, SuppressionReason.Unsubscribe);
        var entries = new SuppressionEntry[3];
        entries[globalAt] = global;
        entries[tenantAt] = tenant;
        entries[topicAt] = topic;

        Assert.Same(global, SuppressionPolicy.FindBlockingEntry(entries, MessageClass.Marketing, "acme", "newsletter"));
    }

    [Fact]
    public void Tenant_scope_wins_over_topic_scope()
    {
        var topic = Entry(AcmeNewsletter, SuppressionReason.Unsubscribe);
        var tenant = Entry(AcmeTenant, SuppressionReason.Unsubscribe);

        Assert.Same(tenant, SuppressionPolicy.FindBlockingEntry([topic, tenant], MessageClass.Marketing, "acme", "newsletter"));
    }

    [Fact]
    public void Wider_entry_that_does_not_block_the_class_does_not_hide_a_narrower_one_that_does()
    {
        var globalUnsubscribe = Entry(SuppressionScope.Global, SuppressionReason.Unsubscribe);
        var topicBounce = Entry(AcmeNewsletter, SuppressionReason.HardBounce);

        Assert.Same(
            topicBounce,
            SuppressionPolicy.FindBlockingEntry([globalUnsubscribe, topicBounce], MessageClass.Transactional, "acme", "newsletter"));
    }

    [Fact]
    public void Wider_entry_that_does_not_cover_the_sender_does_not_hide_one_that_does()
    {
        var otherTenant = Entry(SuppressionScope.ForTenant("globex"), SuppressionReason.Manual);
        var topic = Entry(AcmeNewsletter, SuppressionReason.Unsubscribe);

        Assert.Same(topic, SuppressionPolicy.FindBlockingEntry([otherTenant, topic], MessageClass.Marketing, "acme", "newsletter"));
    }

    [Theory]
    [InlineData(SuppressionReason.Unsubscribe)]
    [InlineData(SuppressionReason.Manual)]
    [InlineData(SuppressionReason.Erasure)]
    public void Tenant_scope_of_another_tenant_does_not_block(SuppressionReason reason)
    {
        var otherTenant = Entry(SuppressionScope.ForTenant("globex"), reason);

        Assert.Null(SuppressionPolicy.FindBlockingEntry([otherTenant], MessageClass.Marketing, "acme", "newsletter"));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([otherTenant], MessageClass.Transactional, "acme", null));
    }

    [Fact]
    public void Topic_scope_blocks_only_its_own_topic()
    {
        var topic = Entry(AcmeNewsletter, SuppressionReason.Unsubscribe);

        Assert.Same(topic, SuppressionPolicy.FindBlockingEntry([topic], MessageClass.Marketing, "acme", "newsletter"));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([topic], MessageClass.Marketing, "acme", "offers"));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([topic], MessageClass.Marketing, "acme", null));
        Assert.Null(SuppressionPolicy.FindBlockingEntry([topic], MessageClass.Marketing, "globex", "newsletter"));
    }

    [Fact]
    public void Tenant_scope_blocks_every_topic_of_its_tenant()
    {
        var tenant = Entry(AcmeTenant, SuppressionReason.Unsubscribe);

        Assert.Same(tenant, SuppressionPolicy.FindBlockingEntry([tenant], MessageClass.Marketing, "acme", "newsletter"));
        Assert.Same(tenant, SuppressionPolicy.FindBlockingEntry([tenant], MessageClass.Marketing, "acme", null));
    }

    [Fact]
    public void Mail_without_a_tenant_is_blocked_only_by_global_entries()
    {
        var tenant = Entry(AcmeTenant, SuppressionReason.Manual);
        var topic = Entry(AcmeNewsletter, SuppressionReason.Manual);
        var global = Entry(SuppressionScope.Global, SuppressionReason.Unsubscribe);

        Assert.Null(SuppressionPolicy.FindBlockingEntry([tenant, topic], MessageClass.Marketing, null, null));
        Assert.Same(global, SuppressionPolicy.FindBlockingEntry([tenant, topic, global], MessageClass.Marketing, null, null));
    }
}
