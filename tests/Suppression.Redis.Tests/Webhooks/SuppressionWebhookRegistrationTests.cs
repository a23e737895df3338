using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Suppression.Redis.Hosting;
using Suppression.Redis.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Redis.Tests.Webhooks;

public sealed class SuppressionWebhookRegistrationTests
{
    [Fact]
    public void Without_endpoints_nothing_is_registered_so_the_audit_writer_gets_no_outbox()
    {
        var services = new ServiceCollection().AddSuppressionWebhookStore([]);

        Assert.Empty(services);
    }

    [Fact]
    public void With_endpoints_the_outbox_backlog_replay_and_fan_out_service_are_registered()
    {
        var services = new ServiceCollection().AddSuppressionWebhookStore([new WebhookSubscription("crm", [], [], IncludeAddress: true)]);

        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(WebhookOutbox));
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(IWebhookBacklog));
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(IWebhookReplay));
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(IReadOnlyList<WebhookSubscription>));
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(WebhookFanOutService));
    }
}
