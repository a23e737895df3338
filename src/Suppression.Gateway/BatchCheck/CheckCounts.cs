namespace Suppression.Gateway.BatchCheck;

/// <summary>Answers written so far, by verdict.</summary>
public sealed class CheckCounts
{
    public long Deliver { get; private set; }

    public long Suppressed { get; private set; }

    public long Invalid { get; private set; }

    public long Total => Deliver + Suppressed + Invalid;

    public void Add(CheckVerdict verdict)
    {
        switch (verdict)
        {
            case CheckVerdict.Deliver:
                Deliver++;
                break;
            case CheckVerdict.Suppressed:
                Suppressed++;
                break;
            default:
                Invalid++;
                break;
        }
    }
}
