namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>A reply the gateway must give instead of relaying a message: its code and words that name the fault.</summary>
public sealed record ExpectedRefusal(string Code, string Words)
{
    // README "What the gateway does with a message": faults of the DATA block, found as the lines arrive.
    public static readonly ExpectedRefusal BareCr = new("554 5.6.0", "bare CR");
    public static readonly ExpectedRefusal LineTooLong = new("554 5.6.0", "longer than 1000 octets");
    public static readonly ExpectedRefusal HeaderTooLarge = new("552 5.3.4", "header exceeds");
    public static readonly ExpectedRefusal HeaderFieldTooLarge = new("552 5.3.4", "header field longer than");

    // MessageDelivery: a header section that begins with white space or holds no field (README, the reply table).
    public static readonly ExpectedRefusal NotInternetMessage = new("554 5.6.0", "not in Internet Message Format");

    public bool Matches(string reply) =>
        reply.StartsWith(Code, StringComparison.Ordinal) && reply.Contains(Words, StringComparison.Ordinal);

    public override string ToString() => $"{Code} ({Words})";
}
