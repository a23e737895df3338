namespace Suppression.Smtp.Feedback;

/// <summary><c>Suppression:Feedback</c>: where bounces and complaints arrive, and when soft bounces add up to a suppression.</summary>
public sealed class FeedbackOptions
{
    /// <summary>
    /// Addresses whose mail is read as DSNs and ARF reports and never relayed: the marketing systems'
    /// Return-Path and the feedback-loop address registered with mailbox providers. None by default.
    /// </summary>
    public string[] Addresses { get; set; } = [];

    /// <summary>Soft bounces of one address within <see cref="SoftBounceWindow"/> that suppress it as a hard bounce would.</summary>
    public int SoftBounceLimit { get; set; } = 5;

    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Recipients one report may name. A bounce or complaint about our mail names one (the gateway
    /// relays a copy per recipient); a report naming more is kept for a person, none of it applied,
    /// so that one stranger's mail cannot write thousands of suppressions.
    /// </summary>
    public int MaxReportRecipients { get; set; } = 100;
}
