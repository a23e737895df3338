using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Delivery;

/// <summary>What the upstream did with each copy of one message in this attempt.</summary>
internal sealed class CopyOutcomes
{
    public List<MailboxPath> Accepted { get; } = [];

    public List<RefusedCopy> Refused { get; } = [];

    /// <summary>The first temporary failure, if any copy had one: the client must then try again.</summary>
    public RelayResult? Deferral { get; private set; }

    public void Add(MailboxPath recipient, RelayResult result)
    {
        switch (result.Outcome)
        {
            case RelayOutcome.Accepted:
                Accepted.Add(recipient);
                break;
            case RelayOutcome.PermanentFailure:
                Refused.Add(new RefusedCopy(recipient, result));
                break;
            default:
                Deferral ??= result;
                break;
        }
    }
}
