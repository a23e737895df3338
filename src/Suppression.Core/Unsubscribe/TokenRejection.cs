namespace Suppression.Unsubscribe;

/// <summary>Why <see cref="UnsubscribeTokenCodec.TryDecode"/> refused a token.</summary>
public enum TokenRejection
{
    None,

    // Not a token this codec could have written: empty, too long, not canonical base64url,
    // truncated, or an unknown format version.
    Malformed,

    // Well formed, but no configured key has the id it names (retired key, or invented).
    UnknownKey,

    // The AES-GCM tag does not verify: altered, forged, or written under another key.
    Tampered,

    // Authentic but older than the configured lifetime.
    Expired,
}
