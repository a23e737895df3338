using System.Text;

namespace Suppression.Gateway.Console;

/// <summary>
/// The frame around every console page: the document head (one stylesheet from this origin, no
/// scripts), the navigation and who is signed in with the sign-out button, then the page's heading
/// and body.
/// </summary>
public static class Layout
{
    private static readonly (string Path, string Label)[] Navigation =
    [
        (ConsolePaths.Root, "Dashboard"),
        (ConsolePaths.Address, "Address history"),
        (ConsolePaths.Audit, "Audit log"),
        (ConsolePaths.Review, "Review queue"),
        (ConsolePaths.Webhooks, "Webhooks"),
    ];

    public static string Render(string title, string bodyHtml, ConsoleView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(Html.Encode(title)).Append(" \u2013 Suppression console</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(ConsolePaths.Style).Append("\">\n")

            // An empty icon, so browsers do not ask for /favicon.ico (img-src allows data:).
            .Append("<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n")
            .Append("<header class=\"bar\">\n<a class=\"brand\" href=\"").Append(view.Home).Append("\">Suppression console</a>\n");
        if (view.SignedIn)
        {
            html.Append("<nav aria-label=\"Console\">");
            // A tenant session has one page; the others would only answer 403.
            foreach (var (path, label) in view.Tenant is null ? Navigation : Navigation.Where(link => link.Path == ConsolePaths.Address))
            {
                var current = string.Equals(view.CurrentPath.TrimEnd('/'), path, StringComparison.Ordinal) ? " aria-current=\"page\"" : string.Empty;
                html.Append("<a href=\"").Append(path).Append('"').Append(current).Append('>').Append(label).Append("</a>");
            }

            html.Append("</nav>\n")
                .Append("<form class=\"session\" method=\"post\" action=\"").Append(ConsolePaths.Logout).Append("\">")
                .Append("<span>Signed in as <strong class=\"role\">").Append(Html.Encode(view.Tenant is null ? view.Role : $"{view.Role} {view.Tenant}")).Append("</strong> ")
                .Append("<span class=\"actor\">").Append(Html.Encode(view.Actor)).Append("</span></span>")
                .Append(view.FormToken)
                .Append("<button type=\"submit\" class=\"secondary\">Sign out</button></form>\n");
        }

        html.Append("</header>\n<main>\n<h1>").Append(Html.Encode(title)).Append("</h1>\n")
            .Append(bodyHtml)
            .Append("\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
