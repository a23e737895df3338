using System.Net;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>The primary that serves a hash slot and the replica that can take it over.</summary>
public sealed record ClusterShard(int Slot, EndPoint Primary, EndPoint Replica);
