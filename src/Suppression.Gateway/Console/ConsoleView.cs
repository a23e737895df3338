using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;

namespace Suppression.Gateway.Console;

/// <summary>
/// What every page needs from the request it answers: who is signed in (nobody on the sign-in
/// page) and the antiforgery token its forms carry.
/// </summary>
public sealed class ConsoleView
{
    private readonly string _tokenField;

    private ConsoleView(string? role, string? actor, string? tenant, string tokenField, string currentPath)
    {
        Role = role;
        Actor = actor;
        Tenant = tenant;
        _tokenField = tokenField;
        CurrentPath = currentPath;
    }

    public string? Role { get; }

    public string? Actor { get; }

    /// <summary>The tenant of a session signed in with a tenant key; null for admin and compliance sessions.</summary>
    public string? Tenant { get; }

    public bool SignedIn => Role is not null;

    /// <summary>Where this session starts: the dashboard, or for a tenant key the address page (the one page it may use).</summary>
    public string Home => Tenant is null ? ConsolePaths.Root : ConsolePaths.Address;

    /// <summary>The page's path, so the navigation can mark where the reader is.</summary>
    public string CurrentPath { get; }

    /// <summary>The hidden field every console form carries (ASP.NET Core antiforgery, double-submit with a cookie).</summary>
    public string FormToken => _tokenField;

    public static ConsoleView For(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var field = $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken)}\">";
        var user = http.User;
        var signedIn = user.Identity?.IsAuthenticated == true && user.Identity.AuthenticationType == ConsoleAuthentication.Scheme;
        return new ConsoleView(
            signedIn ? user.FindFirstValue(ConsoleAuthentication.RoleClaim) : null,
            signedIn ? user.FindFirstValue(ConsoleAuthentication.ActorClaim) : null,
            signedIn ? user.FindFirstValue(ConsoleAuthentication.TenantClaim) : null,
            field,
            http.Request.Path.Value ?? ConsolePaths.Root);
    }
}
