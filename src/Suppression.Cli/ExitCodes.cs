namespace Suppression.Cli;

/// <summary>What a script can test after running the tool; the README lists them per command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The gateway answered with an error (a problem document), or a local file could not be read or written.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: unknown option, missing argument, no API key, erase without --yes off a terminal.</summary>
    public const int Usage = 2;

    public const int GatewayUnreachable = 3;

    public const int NotSuppressed = 4;

    /// <summary>import --strict and the gateway rejected at least one row.</summary>
    public const int RowsRejected = 5;

    public const int AuditChainBroken = 6;

    /// <summary>Ctrl+C: 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
