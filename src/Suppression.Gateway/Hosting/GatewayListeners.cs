using System.Net;
using Microsoft.AspNetCore.Connections;
using Suppression.Gateway.Configuration;
using Suppression.Smtp.Server;

namespace Suppression.Gateway.Hosting;

/// <summary>Kestrel listens for SMTP on <c>Suppression:Smtp</c>'s address and for HTTP on <c>urls</c>.</summary>
public static class GatewayListeners
{
    public static WebApplicationBuilder ListenForSmtpAndHttp(this WebApplicationBuilder builder, GatewayConfiguration settings)
    {
        // "urls" is read by GatewayConfiguration and bound below; left in place, Kestrel would warn
        // that the code overrides it. Not emptied: the host falls back from an empty "urls" to the value it
        // captured at start (--urls, ASPNETCORE_URLS) and warns all the same. ";" lists no address.
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = ";";
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var smtp = settings.Smtp.Smtp;
            kestrel.Listen(new IPEndPoint(ListenAddress.Parse(smtp.Address), smtp.Port), listen => listen.UseConnectionHandler<SmtpConnectionHandler>());
            foreach (var url in settings.HttpUrls)
            {
                kestrel.Listen(new IPEndPoint(ListenAddress.Parse(url.Host), url.Port));
            }
        });
        return builder;
    }
}
