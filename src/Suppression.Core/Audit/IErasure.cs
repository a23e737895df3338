using Suppression.Addresses;

namespace Suppression.Audit;

/// <summary>
/// Erasure with the suppression kept (GDPR Art. 17 and 17(3)(b)): the clear address leaves every
/// record and entry, a keyed hash stays, and the mailbox stays blocked for all mail.
/// </summary>
public interface IErasure
{
    /// <param name="request">Who asked and why: becomes the <see cref="AuditEventType.Erased"/> record.</param>
    Task<ErasureResult> EraseAsync(NormalizedAddress address, AuditRecord request, CancellationToken cancellationToken);
}

/// <param name="AddressHash">What is left of the address: the key to its history from now on.</param>
/// <param name="Records">How many audit records had the clear address removed.</param>
/// <param name="Entries">How many suppression entries the mailbox has now (at least the erasure's own).</param>
public sealed record ErasureResult(string AddressHash, long Records, int Entries);
