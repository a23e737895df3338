using Suppression.Suppressions;

namespace Suppression.ReturnPath;

/// <summary>
/// What a verified return-path tag says about the copy it was minted for. The recipient and the
/// tenant/topic travel as digests, which keeps the local part short: <see cref="ReturnPathTagCodec.Names"/>
/// checks a candidate recipient, <see cref="ReturnPathContext.Digest"/> a candidate tenant and topic.
/// </summary>
public sealed record ReturnPathTag(byte KeyId, DateOnly SendingDay, MessageClass Class, ReadOnlyMemory<byte> RecipientDigest, ReadOnlyMemory<byte> ContextDigest);
