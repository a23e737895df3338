using System.Security.Claims;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Access;
using Suppression.Suppressions;

namespace Suppression.Gateway.Console;

/// <summary>
/// /console: the compliance officers' web console, rendered on the server (no scripts). Every page
/// but the sign-in form and the stylesheet needs a session; every POST needs its antiforgery token.
/// A tenant key's session reaches only the pages marked <c>AdmitTenantKeys</c>: the address page.
/// </summary>
public static class ConsoleEndpoints
{
    public static IServiceCollection AddConsole(this IServiceCollection services, ConsoleOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddConsoleAuthentication(dataDirectory, options.SignInFailuresPerMinute);
        services.AddSingleton<VerificationStatus>();
        return services;
    }

    /// <summary>The console's headers, then authentication and authorization (which only the console's endpoints ask for).</summary>
    public static WebApplication UseConsole(this WebApplication app)
    {
        app.UseConsoleSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup(ConsolePaths.Root)
            .RequireAuthorization(ConsoleAuthentication.Policy)
            .AddEndpointFilter<TenantSessionFilter>()
            .AddEndpointFilter<StoreUnavailableFilter>()
            .AddEndpointFilter<FormTokenFilter>()
            .ExcludeFromDescription();
        console.MapGet("/console.css", ConsoleStyle.Serve).AllowAnonymous().AdmitTenantKeys();
        console.MapGet("/login", ConsoleAuthentication.ShowLogin).AllowAnonymous().AdmitTenantKeys();
        console.MapPost("/login", ConsoleAuthentication.SignInAsync).AllowAnonymous().AdmitTenantKeys();
        console.MapPost("/logout", ConsoleAuthentication.SignOutAsync).AdmitTenantKeys();
        console.MapGet(string.Empty, DashboardAsync);
        console.MapPost("/verify", VerifyAsync);
        console.MapGet("/address", (HttpContext http) => AddressPage.Form(ConsoleView.For(http))).AdmitTenantKeys();
        console.MapPost("/address", AddressHistoryAsync).AdmitTenantKeys();
        console.MapGet("/audit", AuditAsync);
        console.MapGet("/download/audit", ConsoleDownloads.AuditAsync);
        console.MapPost("/download/address", ConsoleDownloads.AddressAsync);
        console.MapGet("/download/suppressions", ConsoleDownloads.SuppressionsAsync);
        console.MapGet("/review", ConsoleReview.ListAsync);
        console.MapGet("/review/{id}", ConsoleReview.ItemAsync);
        console.MapPost("/review/{id}/apply", ConsoleReview.ApplyAsync);
        console.MapPost("/review/{id}/dismiss", ConsoleReview.DismissAsync);
        console.MapGet("/webhooks", ConsoleWebhooks.ListAsync);
        console.MapPost("/webhooks/{id}/enable", ConsoleWebhooks.EnableAsync);
        console.MapPost("/webhooks/{id}/requeue", ConsoleWebhooks.RequeueAsync);
        return app;
    }

    private static async Task<ConsolePage> DashboardAsync(HttpContext http, VerificationStatus verification, IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = await trail.DailyCountsAsync(today.AddDays(-29), today, cancellationToken);
        return DashboardPage.Render(ConsoleView.For(http), verification.Last, days);
    }

    private static async Task<SeeOther> VerifyAsync(HttpContext http, VerificationStatus verification, CancellationToken cancellationToken)
    {
        await verification.RunAsync(http.User.FindFirstValue(ConsoleAuthentication.ActorClaim) ?? "console", cancellationToken);
        return new SeeOther(ConsolePaths.Root);
    }

    private static async Task<ConsolePage> AddressHistoryAsync(
        HttpContext http, ISuppressionStore store, IAuditTrail trail, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var typed = form["address"].ToString().Trim();
        if (typed.Length == 0)
        {
            return AddressPage.Form(ConsoleView.For(http), typed, "Enter an address.");
        }

        if (!AddressNormalizer.TryNormalize(typed, out var address, out var error))
        {
            return AddressPage.Form(ConsoleView.For(http), typed, error);
        }

        // Who looked someone up is worth a line; the address is not (the log is not the place for it).
        loggers.CreateLogger(typeof(ConsoleEndpoints)).ConsoleAddressHistoryViewed(http.User.FindFirstValue(ConsoleAuthentication.ActorClaim));
        var entries = (await store.GetEntriesAsync([address], cancellationToken))[0];
        if (http.User.FindFirstValue(ConsoleAuthentication.TenantClaim) is { } tenant)
        {
            // A tenant sees what blocks its mail now, as the API shows it; the trail (other tenants', operators' notes) is not its to read.
            return AddressPage.ForTenant(ConsoleView.For(http), address.Value, TenantView.ForTenant(tenant).Visible(entries));
        }

        var records = new List<AuditEntry>();
        await foreach (var entry in trail.SearchAsync(new AuditQuery(address), cancellationToken))
        {
            records.Add(entry);
        }

        return AddressPage.History(ConsoleView.For(http), address.Value, entries, records);
    }

    private static async Task<ConsolePage> AuditAsync(
        HttpContext http, IAuditTrail trail, string[]? type, string? from, string? to, string? after, CancellationToken cancellationToken)
    {
        var filter = AuditFilter.Parse(type, from, to, after);
        if (filter.ToQuery(out var field, out var error) is not { } query)
        {
            return AuditPage.Invalid(ConsoleView.For(http), filter, field!, error!);
        }

        var records = new List<AuditEntry>(AuditPage.PageSize);
        var more = false;
        try
        {
            await foreach (var entry in trail.SearchAsync(query, cancellationToken))
            {
                if (records.Count == AuditPage.PageSize)
                {
                    more = true;
                    break;
                }

                records.Add(entry);
            }
        }
        catch (FormatException exception)
        {
            return AuditPage.Invalid(ConsoleView.For(http), filter with { After = null }, "after", exception.Message);
        }

        return AuditPage.Render(ConsoleView.For(http), filter, records, more ? records[^1].Cursor : null);
    }
}
