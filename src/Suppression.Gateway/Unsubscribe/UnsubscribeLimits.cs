using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Suppression.Addresses;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// How many /u/ requests are served, limited by what an abuser controls. A request whose link is
/// valid counts against that link and that recipient, never against the client address: a mailbox
/// provider posts every one-click from a few addresses, and behind a proxy every recipient shares
/// one, so no valid one-click is refused for what other people's requests did. Everything else
/// (invalid, altered, expired links, junk) counts against the client address (an IPv6 client by its
/// /64, which one subscriber usually holds whole), whose ceiling only bounds a flood.
/// Each table holds at most <see cref="Capacity"/> keys a window: past that, a valid link is served
/// uncounted, and other requests share one extra client budget.
/// </summary>
public sealed class UnsubscribeLimits
{
    public const int Capacity = 100_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly FixedWindowCounters _links;
    private readonly FixedWindowCounters _recipients;
    private readonly FixedWindowCounters _clients;
    private readonly FixedWindowCounters _overflow;
    private readonly int _perLink;
    private readonly int _perRecipient;
    private readonly int _perClient;

    private readonly AddressVariantRules _addressRules;

    /// <param name="addressRules">What makes two spellings one recipient; the built-in rules when null.</param>
    public UnsubscribeLimits(int perLink, int perRecipient, int invalidPerClient, TimeProvider time, int capacity = Capacity, AddressVariantRules? addressRules = null)
    {
        _addressRules = addressRules ?? AddressVariantRules.Default;
        _perLink = perLink;
        _perRecipient = perRecipient;
        _perClient = invalidPerClient;
        _links = new FixedWindowCounters(capacity, Window, time);
        _recipients = new FixedWindowCounters(capacity, Window, time);
        _clients = new FixedWindowCounters(capacity, Window, time);
        _overflow = new FixedWindowCounters(1, Window, time);
    }

    /// <summary>Counts a request that came with a valid link; false when that link or recipient has had its share this minute.</summary>
    public bool TryAdmitValid(string token, UnsubscribeToken decoded, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(decoded);

        // A full table admits: valid links cannot be invented, and a valid one-click must not be lost.
        return _links.TryCount(KeyOf("link", token), _perLink, out retryAfter) != WindowCount.Refused
            && _recipients.TryCount(KeyOf("recipient", _addressRules.MatchKeyOf(decoded.Recipient)), _perRecipient, out retryAfter) != WindowCount.Refused;
    }

    /// <summary>Counts any other request against its client address; false once that address has sent its ceiling this minute.</summary>
    public bool TryAdmitOther(IPAddress? client, out TimeSpan retryAfter)
    {
        var counted = _clients.TryCount(ClientNetworkKey.Of(client), _perClient, out retryAfter);
        if (counted == WindowCount.Untracked)
        {
            counted = _overflow.TryCount(UInt128.Zero, _perClient, out retryAfter);
        }

        return counted != WindowCount.Refused;
    }

    // A digest, not the text: a key costs 16 bytes whatever a stranger sends.
    private static UInt128 KeyOf(string kind, string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + text), digest);
        return MemoryMarshal.Read<UInt128>(digest);
    }
}
