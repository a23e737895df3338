namespace Suppression.Smtp.Relay;

public enum UpstreamTls
{
    /// <summary>Plain SMTP.</summary>
    None,

    /// <summary>STARTTLS when the upstream offers it.</summary>
    WhenAvailable,

    /// <summary>STARTTLS or fail: never send mail in clear.</summary>
    Required,
}

/// <summary><c>Suppression:Upstream</c>: where accepted mail goes.</summary>
public sealed class UpstreamOptions
{
    /// <summary>Unset: messages are written to <see cref="PickupDirectory"/>.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public UpstreamTls Tls { get; set; } = UpstreamTls.WhenAvailable;

    public bool ValidateCertificate { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Null means &lt;DataDirectory&gt;/outbox.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>
    /// When the upstream does not offer 8BITMIME, convert a copy the client sent with BODY=8BITMIME
    /// to 7 bit (RFC 6152 3) and sign it after converting; false (the default) refuses it with
    /// 554 5.6.3 instead, so no copy ever leaves in another form than the client's without the
    /// operator's say.
    /// </summary>
    public bool Downgrade8Bit { get; set; }

    /// <summary>One upstream command or connect.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient failures (connection lost, 4xx) within <see cref="RetryBudget"/>.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>All attempts of one message together; the client then gets 451 and retries later.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The share of attempts that must fail transiently (connection lost, timeout, 4xx) within
    /// <see cref="CircuitSamplingDuration"/> for the circuit to open: then every client gets 451 at
    /// once for <see cref="CircuitBreakDuration"/> instead of after each connect timeout. Half: an
    /// upstream that refuses half its mail for now is down as far as senders can tell.
    /// </summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within the sampling window before the ratio counts: a few unlucky copies on a quiet gateway must not open it.</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>How far back the failure ratio looks: long enough to see a trend, short enough to react within a minute.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before one trial attempt: about one SMTP client retry interval's worth of rest.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle pooled connections kept open; more are closed when returned.</summary>
    public int MaxIdleConnections { get; set; } = 32;

    /// <summary>A pooled connection idle longer than this is closed rather than reused (servers drop idle clients).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
