using System.Text.Json;

namespace Suppression.Cli.Gateway;

// The bodies of the gateway's /api/v1 responses the tool reads (README, HTTP API).

internal sealed record SuppressionEntry(string Scope, string Reason, string Source, string CreatedAt);

internal sealed record LookupResponse(string Address, IReadOnlyList<SuppressionEntry> Entries);

internal sealed record ImportLineError(long Line, string Reason);

internal sealed record ImportResponse(
    string Batch,
    string Format,
    string FileSha256,
    long Rows,
    long Imported,
    long Unchanged,
    long Rejected,
    IReadOnlyList<ImportLineError>? Errors,
    bool ErrorsTruncated);

/// <summary>firstBadChain is kept as JSON: the contract names it but not whether it is a string or a number.</summary>
internal sealed record VerifyResponse(bool Ok, long Records, long Chains, JsonElement? FirstBadChain, long? FirstBadSequence, string? Problem);

internal sealed record ErasureRequest(string Address);

internal sealed record ErasureResponse(string AddressHash, long Records, long Entries);

internal sealed record StorageResponse(string Format);

internal sealed record StorageUpgradeResponse(string Format, long Mailboxes, long Converted, long AlreadyInFormat, long KeptAsText, long Unreadable, double Seconds);

internal sealed record Lockout(string Client, string? Username, int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);

internal sealed record LockoutsResponse(IReadOnlyList<Lockout> Lockouts, bool Truncated);

internal sealed record LockoutsCleared(string Client, string? User, int Cleared);

internal sealed record WebhookEndpoint(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> Tenants,
    bool IncludeAddress,
    bool Disabled,
    string? DisabledReason,
    DateTimeOffset? LastSuccess,
    int ConsecutiveFailures,
    string? LastError,
    long Backlog,
    DateTimeOffset? OldestUndelivered,
    long DeadLetters);

internal sealed record WebhooksResponse(IReadOnlyList<WebhookEndpoint> Endpoints);

internal sealed record WebhookReplayResponse(string Endpoint, DateTimeOffset From, DateTimeOffset To, long Queued, double LogRetentionDays);

internal sealed record WebhookEnabledResponse(string Endpoint, bool WasDisabled);

internal sealed record WebhookRequeueResponse(string Endpoint, long Requeued);
