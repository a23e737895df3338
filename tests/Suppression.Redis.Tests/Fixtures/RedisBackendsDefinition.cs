namespace Suppression.Redis.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class RedisBackendsDefinition : ICollectionFixture<RedisBackendsFixture>
{
    public const string Name = "Redis backends";
}
