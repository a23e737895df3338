namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// Tests that fail a cluster primary over run alone, after the parallel test classes (as
/// <see cref="Infrastructure.StartUpHeavyTests"/> do) and not beside any other collection: a
/// gateway of another test would see the switch as a brief 451 or 503, a flake rather than a finding.
/// Another test project running at the same time (Suppression.Redis.Tests, in a solution-wide
/// <c>dotnet test</c>) is not held back, but a manual failover pauses the primary's clients only
/// until its replica has caught up, and their client follows the MOVED reply that comes after.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFailovers
{
    public const string Name = "Cluster failovers";
}
