namespace Suppression.Smtp.Policy;

/// <summary>
/// The session's only question about a recipient. The session knows nothing of Redis or scopes;
/// the policy knows nothing of SMTP.
/// </summary>
public interface IRecipientPolicy
{
    ValueTask<RecipientDecision> CheckAsync(RecipientCheck check, CancellationToken cancellationToken);
}
