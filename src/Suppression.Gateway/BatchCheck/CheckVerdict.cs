namespace Suppression.Gateway.BatchCheck;

public enum CheckVerdict
{
    /// <summary>No entry stops mail of the checked context to this address.</summary>
    Deliver,

    /// <summary>An entry stops it; SMTP would drop or refuse this recipient.</summary>
    Suppressed,

    /// <summary>The address is not one the gateway's normalisation accepts (SMTP would refuse it at RCPT).</summary>
    Invalid,
}
