namespace Suppression.Smtp.Server;

internal enum CommandLineStatus
{
    Line,
    TooLong,
    Closed,
    TimedOut,
    ShuttingDown,
}
