namespace Suppression.Gateway.Console;

/// <summary>The console's URLs, in one place for the routes, the forms and the links.</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string Style = Root + "/console.css";
    public const string Login = Root + "/login";
    public const string Logout = Root + "/logout";
    public const string Verify = Root + "/verify";
    public const string Address = Root + "/address";
    public const string Audit = Root + "/audit";
    public const string Review = Root + "/review";
    public const string Webhooks = Root + "/webhooks";
    public const string AuditDownload = Root + "/download/audit";
    public const string AddressDownload = Root + "/download/address";
    public const string SuppressionsDownload = Root + "/download/suppressions";

    /// <summary>One held report's page; its apply and dismiss forms post to <c>/apply</c> and <c>/dismiss</c> below it. Ids only, never addresses.</summary>
    public static string ReviewItem(string id) => Review + "/" + Uri.EscapeDataString(id);

    /// <summary>One webhook endpoint's admin actions: <c>/enable</c> and <c>/requeue</c> below it.</summary>
    public static string WebhookEndpoint(string id) => Webhooks + "/" + Uri.EscapeDataString(id);
}
