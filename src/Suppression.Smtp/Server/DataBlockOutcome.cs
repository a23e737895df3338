namespace Suppression.Smtp.Server;

public enum DataBlockOutcome
{
    Complete,
    TooLarge,
    LineTooLong,
    BareLineFeed,
    BareCarriageReturn,
    HeaderTooLarge,
    HeaderFieldTooLarge,
    TooManyParts,
}
