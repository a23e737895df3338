using System.ComponentModel;

namespace Suppression.Gateway.BatchCheck;

// The JSON answer that JsonCheckAnswerWriter streams by hand (CheckAnswerJson), described as types for
// the OpenAPI contract only; the contract tests validate real answers against the served document.

/// <summary>The answer to a JSON batch check.</summary>
public sealed class BatchCheckDocument
{
    public required BatchCheckContextDocument Context { get; init; }

    [Description("One answer per address, in input order.")]
    public required IReadOnlyList<BatchCheckAnswerDocument> Results { get; init; }

    public required BatchCheckCountsDocument Counts { get; init; }

    [Description("True when every address was answered; false (with error) when the list became unreachable part-way: the results are all there is.")]
    public required bool Complete { get; init; }

    public BatchCheckErrorDocument? Error { get; init; }
}

/// <summary>The context the answers hold for, as SMTP resolved it (a tenant's default class, say).</summary>
public sealed record BatchCheckContextDocument(string? Tenant, string? Topic, [property: Description("marketing or transactional.")] string Class);

/// <summary>One address's answer; the deciding entry's fields appear for a suppressed address as far as the key may see them.</summary>
public sealed class BatchCheckAnswerDocument
{
    public required string Address { get; init; }

    [Description("deliver, suppressed or invalid.")]
    public required string Verdict { get; init; }

    public string? Scope { get; init; }

    public string? Reason { get; init; }

    public string? Source { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    [Description("Why an address is invalid.")]
    public string? Error { get; init; }
}

public sealed record BatchCheckCountsDocument(long Addresses, long Deliver, long Suppressed, long Invalid);

public sealed record BatchCheckErrorDocument(int Status, string Title, string Detail);
