namespace Suppression.Gateway.BatchCheck;

/// <summary>The verdicts as the API spells them.</summary>
public static class CheckVerdictNames
{
    public static string Of(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Deliver => "deliver",
        CheckVerdict.Suppressed => "suppressed",
        _ => "invalid",
    };
}
