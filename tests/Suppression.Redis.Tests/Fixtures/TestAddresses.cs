using Suppression.Addresses;

namespace Suppression.Redis.Tests.Fixtures;

public static class TestAddresses
{
    // A fresh address per test: tests share one server and must not see each other's entries.
    public static NormalizedAddress Unique(string hint = "user") =>
        AddressNormalizer.Normalize($"{hint}-{Guid.NewGuid():N}@example.org");
}
