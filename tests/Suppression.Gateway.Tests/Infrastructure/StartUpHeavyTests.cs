namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// Test classes that start extra gateways or processes run one after another, once the parallel
/// classes have finished, so they add no cold starts (JIT, Garnet's first Lua script) to the ones
/// competing for the CPU at the beginning of the run: that contention has pushed a fresh gateway's
/// first store write past the 3 s Redis timeout (a 500).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartUpHeavyTests
{
    public const string Name = "Start-up heavy";
}
