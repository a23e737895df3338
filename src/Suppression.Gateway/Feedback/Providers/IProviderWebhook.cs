using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>One ESP's event webhook: how its requests prove they are its, and how its events read.</summary>
public interface IProviderWebhook
{
    /// <summary>The provider's name in <c>/api/v1/feedback/{provider}</c> (<see cref="FeedbackProviderNames"/>).</summary>
    string Name { get; }

    /// <summary>Null when <paramref name="entry"/>'s secret signed this request; otherwise why not, in a sentence the caller may read.</summary>
    ValueTask<string?> RefusalAsync(HttpRequest request, ReadOnlyMemory<byte> body, FeedbackProviderOptions entry, CancellationToken cancellationToken);

    /// <summary>The events of a verified request; those about nothing the gateway reads are left out.</summary>
    /// <exception cref="FormatException">The body is not the provider's format.</exception>
    /// <remarks>May act on the provider's own protocol first (SES: confirming the SNS subscription).</remarks>
    ValueTask<IReadOnlyList<ProviderEvent>> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>
    /// A verified request whose events could not all be recorded: forgets what <see cref="RefusalAsync"/>
    /// remembered of it (Mailgun's one-time token), so the provider's retry of it is not a replay.
    /// </summary>
    ValueTask ForgetRequestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
