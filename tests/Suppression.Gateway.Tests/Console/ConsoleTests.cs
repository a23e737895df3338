namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// The console tests share one gateway per backend and run one after another, after the parallel
/// test classes (as <see cref="Infrastructure.StartUpHeavyTests"/> do): their whole-trail checks
/// (audit pages, exports, verification) need nobody else writing to that gateway meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleTests : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Console";
}
