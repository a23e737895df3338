namespace Suppression.Import;

/// <summary>Where HubSpot's unsubscribes-and-bounces export keeps its flag columns; <see cref="ImportLayout.Absent"/> when missing.</summary>
internal sealed record HubSpotColumns(int PortalBounce, int PortalUnsubscribe, int PortalSpamReport, int GlobalBounce)
{
    public const string PortalBounceName = "Portal Bounce";
    public const string PortalUnsubscribeName = "Portal Unsubscribe";
    public const string PortalSpamReportName = "Portal Spam Report";
    public const string GlobalBounceName = "Global Bounce";

    public int HighestIndex => Math.Max(Math.Max(PortalBounce, PortalUnsubscribe), Math.Max(PortalSpamReport, GlobalBounce));
}
