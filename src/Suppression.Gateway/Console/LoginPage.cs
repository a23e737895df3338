namespace Suppression.Gateway.Console;

/// <summary>The sign-in form: one API key field. With an error, the same form and 401.</summary>
public static class LoginPage
{
    public static ConsolePage Render(ConsoleView view, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{Html.Encode(error)}</p>\n";
        var body = "<section>\n" + message
            + "<p>Sign in with a compliance key (<code>Suppression:Compliance:ApiKeys</code>) or an admin key "
            + "(<code>Suppression:Admin:ApiKeys</code>). The console only reads: it searches, exports and verifies the audit trail. "
            + "A tenant's key (<code>Suppression:Tenants:N:ApiKeys</code>) may look up whether an address is blocked for that tenant's mail.</p>\n"
            + $"<form class=\"stack\" method=\"post\" action=\"{ConsolePaths.Login}\">{view.FormToken}\n"
            + "<label for=\"key\">API key</label>\n"
            + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required autofocus>\n"
            + "<button type=\"submit\">Sign in</button>\n</form>\n"
            + "<p class=\"note\">The session lasts until 8 hours after your last page. Its cookie names your role and the key's "
            + "fingerprint, as the audit trail does, never the key.</p>\n</section>";
        return new ConsolePage(error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized, "Sign in", body, view);
    }
}
