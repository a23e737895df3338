using Suppression.Gateway.Configuration;
using Suppression.Gateway.Webhooks;
using Suppression.Redis.Hosting;
using Suppression.Secrets;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Hosting;

/// <summary>
/// Builds the one process that runs the SMTP listener and the HTTP endpoints: the configuration is
/// checked first, then each project adds its own parts (docs/design.md, composition).
/// </summary>
public static class GatewayHost
{
    /// <param name="time">The clock every part reads; a test's own, or the system's.</param>
    /// <param name="peers">A test's stand-ins for the outside services the gateway calls (<c>ISnsEndpoints</c>), registered first.</param>
    public static WebApplication Build(string[] args, TimeProvider? time = null, Action<IServiceCollection>? peers = null)
    {
        // appsettings.json ships next to the binary; the data directory stays relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = GatewayConfiguration.Read(builder.Configuration);
        CreateDataDirectory(settings.Gateway.FullDataDirectory);

        builder.Services.AddSingleton(time ?? TimeProvider.System);
        peers?.Invoke(builder.Services);
        builder.Services.AddHostedService<StoreStart>().AddSuppressionRedis(builder.Configuration, WebhookRegistration.Subscriptions(settings.Webhooks));
        builder.Services.AddSmtpGateway(builder.Configuration);
        builder.Services.AddGatewayServices(builder.Configuration, settings);
        builder.Services.AddWebhooks(builder.Configuration, settings.Webhooks);
        builder.ListenForSmtpAndHttp(settings);

        var app = builder.Build();
        app.UseGatewayPipeline(settings);
        app.MapGatewayEndpoints(settings);
        app.ReportStartUp(settings);
        return app;
    }

    // Before anything writes there (the pickup directory, the keys, the embedded store): what it
    // holds is the operator's secret, so a new one is the owner's only.
    private static void CreateDataDirectory(string path)
    {
        try
        {
            OwnerOnlyFile.CreateDirectory(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException([$"Suppression:DataDirectory: cannot create {path}: {exception.Message}"]);
        }
    }
}
