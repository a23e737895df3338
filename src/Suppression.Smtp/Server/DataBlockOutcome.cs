namespace Suppression.Smtp.Server;

public enum DataBlockOutcome
{
    Complete,
    TooLarge,
    LineTooLong,
    BareLineFeed,
    BareCarriageReturn,
    ConnectionClosed,
}
