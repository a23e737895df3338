
namespace Suppression.Smtp.Delivery.Dsn;

/// <summary>What became of a DSN the gateway gave the upstream.</summary>
internal enum DsnHandover
{
    Sent,

    /// <summary>Not taken for now (4xx, unreachable): the client must keep the message and try again.</summary>
    Deferred,

    /// <summary>Refused for good (5xx): the envelope sender cannot be reached through the upstream.</summary>
    Refused,
}
