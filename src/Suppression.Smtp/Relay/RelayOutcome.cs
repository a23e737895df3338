namespace Suppression.Smtp.Relay;

public enum RelayOutcome
{
    Accepted,
    TemporaryFailure,
    PermanentFailure,
}
