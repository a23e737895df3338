namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// Tests that fail a cluster primary over run alone, after the parallel test classes (as
/// <see cref="Infrastructure.StartUpHeavyTests"/> do) and not beside any other collection: a
/// gateway of another test would see the switch as a brief 451 or 503, a flake rather than a finding.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFailovers
{
    public const string Name = "Cluster failovers";
}
