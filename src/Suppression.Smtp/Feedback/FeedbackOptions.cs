using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Smtp.Feedback;

/// <summary><c>Suppression:Feedback</c>: where bounces and complaints arrive, and when soft bounces add up to a suppression.</summary>
public sealed class FeedbackOptions
{
    /// <summary>
    /// Addresses whose mail is read as DSNs and ARF reports and never relayed: the marketing systems'
    /// Return-Path and the feedback-loop address registered with mailbox providers. None by default.
    /// </summary>
    public string[] Addresses { get; set; } = [];

    /// <summary>
    /// Requests to <c>POST /api/v1/feedback/{provider}</c> that fail authentication, per client network
    /// a minute, before every request from it is refused (429) until the minute ends. Requests that
    /// authenticate are never counted.
    /// </summary>
    public int ProviderFailuresPerMinute { get; set; } = 30;

    /// <summary>Soft bounces of one address within <see cref="SoftBounceWindow"/> that suppress it as a hard bounce would.</summary>
    public int SoftBounceLimit { get; set; } = 5;

    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Recipients one report may name. A bounce or complaint about our mail names one (the gateway
    /// relays a copy per recipient); a report naming more is kept for a person, none of it applied,
    /// so that one stranger's mail cannot write thousands of suppressions.
    /// </summary>
    public int MaxReportRecipients { get; set; } = 100;

    /// <summary>
    /// Unreadable reports kept for a person from one source network (an IPv4 /24, an IPv6 /64) within
    /// <see cref="KeptPerSourceWindow"/>; the rest are answered, counted and not kept, so one source's
    /// junk cannot push the others' reports out of the newest 1,000.
    /// </summary>
    public int MaxKeptPerSource { get; set; } = 50;

    public TimeSpan KeptPerSourceWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// When set, each relayed copy's MAIL FROM is a signed tag at this domain (VERP), whose MX points
    /// at the gateway; a tenant's own <c>ReturnPathDomain</c> overrides it. None by default.
    /// </summary>
    public string? ReturnPathDomain { get; set; }

    /// <summary>How long a return-path tag is accepted at RCPT after the day its copy was sent.</summary>
    public TimeSpan ReturnPathValidity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Reports nothing authenticates: held for review (the default), or acted on as today's
    /// feedback addresses did (<c>Act</c>, for operators who accept that anyone can suppress anyone).
    /// </summary>
    public UnauthenticatedFeedback Unauthenticated { get; set; } = UnauthenticatedFeedback.Review;

    /// <summary>How long a report waits in the review queue before it is dropped unapplied.</summary>
    public TimeSpan ReviewRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Upstream ESPs whose signed event webhooks post to <c>/api/v1/feedback/{provider}</c>. None by default.</summary>
    public FeedbackProviderOptions[] Providers { get; set; } = [];
}
