using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

internal static class TestKeys
{
    public static readonly DateTimeOffset IssuedAt = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    // Fixed, distinct key material so failures reproduce.
    public static TokenKey Key(byte id, byte fill = 0) =>
        new(id, Enumerable.Range(0, TokenKey.SizeInBytes).Select(i => (byte)((i * 7) + id + (fill * 31))).ToArray());

    public static UnsubscribeTokenCodec Codec(params TokenKey[] keys) => new(new TokenKeyRing(keys));
}
