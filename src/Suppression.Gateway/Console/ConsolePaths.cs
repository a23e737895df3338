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
    public const string AuditDownload = Root + "/download/audit";
    public const string AddressDownload = Root + "/download/address";
    public const string SuppressionsDownload = Root + "/download/suppressions";
}
