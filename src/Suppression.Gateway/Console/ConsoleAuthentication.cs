using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Suppression.Gateway.Access;
using Suppression.Gateway.Hosting;

namespace Suppression.Gateway.Console;

/// <summary>
/// Signing in to the console with a compliance, admin or tenant API key, and the session that
/// follows: an ASP.NET Core authentication cookie holding the role, the tenant of a tenant key and
/// the actor (the key's fingerprint the audit uses), never the key. Antiforgery tokens guard every
/// form, the sign-in form included. A tenant session reaches only the pages that admit tenant keys
/// (<see cref="TenantSessionFilter"/>).
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "SuppressionConsole";
    public const string Policy = "SuppressionConsole";
    public const string RoleClaim = ClaimTypes.Role;
    public const string ActorClaim = ClaimTypes.NameIdentifier;
    public const string TenantClaim = "suppression:tenant";

    // The key's SHA-256 rides in the (encrypted) ticket so a session ends once its key is no longer configured.
    private const string KeyDigestItem = "key-sha256";

    public static IServiceCollection AddConsoleAuthentication(this IServiceCollection services, string dataDirectory, int signInFailuresPerMinute)
    {
        // Cookies and form tokens are encrypted with keys kept beside the gateway's other generated secrets,
        // so sessions survive a restart. Instances behind one load balancer need this directory shared.
        var keyDirectory = Path.Combine(dataDirectory, "console-keys");
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(keyDirectory);
            }
            else
            {
                Directory.CreateDirectory(keyDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException([$"Suppression:DataDirectory: cannot create {keyDirectory} for the console's keys: {exception.Message}"]);
        }

        services.AddDataProtection().SetApplicationName("Suppression.Gateway").PersistKeysToFileSystem(new DirectoryInfo(keyDirectory));
        services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "suppression-console";
            cookie.Cookie.Path = ConsolePaths.Root;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = ConsolePaths.Login;
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = SendToLogin,
                OnRedirectToAccessDenied = SendToLogin,
                OnValidatePrincipal = EndSessionOfRemovedKeyAsync,
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(RoleClaim, ApiKeys.AdminRole, ApiKeys.ComplianceRole, ApiKeys.TenantRole));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "suppression-console-form";
            antiforgery.Cookie.Path = ConsolePaths.Root;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

            // The console's own headers say frame-ancestors 'none' and X-Frame-Options DENY.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        services.AddSingleton(new SignInThrottle(signInFailuresPerMinute));
        return services;
    }

    /// <summary>GET /console/login: the form, or the dashboard for someone already signed in.</summary>
    public static IResult ShowLogin(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.Identity?.IsAuthenticated == true ? new SeeOther(ConsoleView.For(http).Home) : LoginPage.Render(ConsoleView.For(http));
    }

    /// <summary>POST /console/login: a configured compliance, admin or tenant key starts a session; anything else is 401.</summary>
    public static async Task<IResult> SignInAsync(HttpContext http, ApiKeys keys, SignInThrottle throttle, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(throttle);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(ConsoleAuthentication));
        var client = http.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        if (throttle.IsLockedOut(client, out var retryAfter))
        {
            logger.ConsoleSignInThrottled(client);
            return MessagePage.TooManySignIns(ConsoleView.For(http), retryAfter);
        }

        // The antiforgery check has read the form already.
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var key = form["key"].ToString().Trim();
        var holder = key.Length == 0 ? null : keys.HolderOf(key);
        if (holder is null)
        {
            throttle.RecordFailure(client);
            logger.ConsoleSignInFailed(client);
            return LoginPage.Render(ConsoleView.For(http), "That is not a compliance, admin or tenant key of this gateway. Check the key and try again.");
        }

        var actor = holder.ActorFor(key);
        List<Claim> claims = [new Claim(RoleClaim, holder.Role), new Claim(ActorClaim, actor)];
        if (holder.Tenant is { } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant));
        }

        var identity = new ClaimsIdentity(claims, Scheme, ActorClaim, RoleClaim);
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[KeyDigestItem] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), properties);
        logger.ConsoleSignedIn(actor, client);
        return new SeeOther(holder.IsTenant ? ConsolePaths.Address : ConsolePaths.Root);
    }

    /// <summary>POST /console/logout: ends the session (the cookie is deleted).</summary>
    public static async Task<IResult> SignOutAsync(HttpContext http, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(loggers);
        await http.SignOutAsync(Scheme);
        loggers.CreateLogger(typeof(ConsoleAuthentication)).ConsoleSignedOut(http.User.FindFirstValue(ActorClaim));
        return new SeeOther(ConsolePaths.Login);
    }

    // 303, not the handler's 302: a POST from an expired session must be followed by a GET.
    private static Task SendToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = ConsolePaths.Login;
        return Task.CompletedTask;
    }

    private static async Task EndSessionOfRemovedKeyAsync(CookieValidatePrincipalContext context)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
        // A key moved to another role or tenant ends the session too: the cookie's claims are the old holder's.
        var holder = context.Properties.Items.TryGetValue(KeyDigestItem, out var digest) && digest is not null ? keys.HolderOfDigest(digest) : null;
        if (holder is null || holder.Role != context.Principal?.FindFirstValue(RoleClaim) || holder.Tenant != context.Principal?.FindFirstValue(TenantClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
