namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>One way a relayed copy is not the client's message plus the gateway's documented fields.</summary>
public sealed record CopyDifference(string Kind, string Detail)
{
    public const string FieldLost = "header field lost";
    public const string MboxFromLineLost = "mbox From line lost";
    public const string FieldChanged = "header field changed";
    public const string FieldMoved = "header field moved";
    public const string FieldAdded = "header field added (undocumented)";
    public const string GatewayFieldMissing = "gateway field missing";
    public const string Separator = "empty line after the header block";
    public const string Body = "body changed";

    public bool IsHeader => Kind is not (Body or Separator);
}
