using System.Net;
using StackExchange.Redis;
using Suppression.Redis.Connection;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// The Redis Cluster the tests run against (SUPPRESSION_TEST_REDIS), seen through the test's own
/// connection rather than the gateway's: which nodes serve a key, and a manual failover.
/// </summary>
public sealed class ClusterUnderTest : IAsyncDisposable
{
    // Replicas attach a few seconds after `redis-cli --cluster create`; a manual failover takes
    // well under a second once the replica has caught up (the node timeout in .ci/run is 2 s).
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    // Redis gives up a manual failover that has not happened within 5 s (CLUSTER_MF_TIMEOUT).
    private static readonly TimeSpan ManualFailoverTimeout = TimeSpan.FromSeconds(6);

    private readonly ConnectionMultiplexer _connection;

    private ClusterUnderTest(ConnectionMultiplexer connection) => _connection = connection;

    public static async Task<ClusterUnderTest> ConnectAsync(string configuration)
    {
        var options = RedisConnectionFactory.CreateOptions(configuration, "suppression-test-cluster-admin");
        options.AllowAdmin = true;
        var connection = await RedisConnectionFactory.ConnectAsync(options, CancellationToken.None);
        Assert.True(connection.IsConnected, $"the Redis Cluster at {configuration} is not reachable");
        return new ClusterUnderTest(connection);
    }

    /// <summary>The slot's primary and a replica of it that is connected and in sync, as the server computes the slot.</summary>
    public async Task<ClusterShard> ShardOfAsync(RedisKey key)
    {
        var slot = await SlotOfAsync(key);
        ClusterShard? shard = null;
        var found = await Eventually.TrueAsync(async () =>
        {
            var owner = (await AnyNode().ClusterNodesAsync())?.GetBySlot(slot);
            foreach (var replica in owner?.Children ?? [])
            {
                if (replica.EndPoint is not null && await ReplicationStateAsync(replica.EndPoint) is { } state && state.Primary.Equals(owner!.EndPoint) && state.Connected)
                {
                    shard = new ClusterShard(slot, owner.EndPoint, replica.EndPoint);
                    return true;
                }
            }

            return false;
        }, Settle);
        Assert.True(found, $"slot {slot} has no primary with a connected replica within {Settle.TotalSeconds} s: the failover test needs a cluster with replicas");
        return shard!;
    }

    public async Task<int> SlotOfAsync(RedisKey key) => (int)await AnyNode().ExecuteAsync("CLUSTER", "KEYSLOT", (string)key!);

    /// <summary>The node that serves the slot as its primary, as one node of the cluster sees it.</summary>
    public async Task<EndPoint?> PrimaryOfSlotAsync(int slot) => (await AnyNode().ClusterNodesAsync())?.GetBySlot(slot)?.EndPoint;

    /// <summary>
    /// Makes <paramref name="replica"/> the primary of its shard with a manual CLUSTER FAILOVER (the
    /// replica waits until it has every write the primary acknowledged, then takes over: no data is
    /// lost, and the old primary becomes its replica), and returns once the old primary replicates
    /// from the new one and every node sees the switch.
    /// </summary>
    public async Task FailOverToAsync(ClusterShard shard, EndPoint replica)
    {
        var primary = replica.Equals(shard.Primary) ? shard.Replica : shard.Primary;
        Assert.True(await Eventually.TrueAsync(async () => await ReplicationStateAsync(replica) is { Connected: true } state && state.Primary.Equals(primary), Settle),
            $"{replica} is not a connected replica of {primary}: no failover attempted");

        // The other primaries must agree to it: one that still sees the replica as a primary (gossip
        // lags the switch) denies its vote, and the manual failover expires after 5 s
        // (CLUSTER_MF_TIMEOUT). Waiting for every node to agree on the last switch (below) avoids
        // that; asking again covers whatever else makes one attempt expire.
        var switched = false;
        var deadline = DateTime.UtcNow + Settle;
        while (!switched && DateTime.UtcNow < deadline)
        {
            Assert.Equal("OK", (string?)await _connection.GetServer(replica).ExecuteAsync("CLUSTER", "FAILOVER"));
            switched = await Eventually.TrueAsync(() => HasSwitchedAsync(shard.Slot, replica, primary), ManualFailoverTimeout);
        }

        Assert.True(switched, $"CLUSTER FAILOVER to {replica}: the roles did not switch within {Settle.TotalSeconds} s");
    }

    /// <summary>Fails back when the shard's original primary no longer serves its slot, so the cluster is left as it was found.</summary>
    public async Task RestoreAsync(ClusterShard shard)
    {
        if (!Equals(await PrimaryOfSlotAsync(shard.Slot), shard.Primary))
        {
            await FailOverToAsync(shard, shard.Primary);
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    // The old primary replicates from the new one, and every node sees the new primary serving the
    // slot and the old one as its replica.
    private async Task<bool> HasSwitchedAsync(int slot, EndPoint newPrimary, EndPoint oldPrimary)
    {
        if (await ReplicationStateAsync(oldPrimary) is not { Connected: true } state || !state.Primary.Equals(newPrimary))
        {
            return false;
        }

        foreach (var endPoint in _connection.GetEndPoints())
        {
            var view = await _connection.GetServer(endPoint).ClusterNodesAsync();
            var owner = view?.GetBySlot(slot);
            if (owner?.EndPoint?.Equals(newPrimary) != true || view![oldPrimary] is not { IsReplica: true } replica || replica.ParentNodeId != owner.NodeId)
            {
                return false;
            }
        }

        return true;
    }

    // Whom the node replicates from and whether its link is up (ROLE), or null for a primary.
    private async Task<(EndPoint Primary, bool Connected)?> ReplicationStateAsync(EndPoint node)
    {
        var role = await _connection.GetServer(node).RoleAsync();
        return role is Role.Replica replica
            ? (new IPEndPoint(IPAddress.Parse(replica.MasterIp), replica.MasterPort), replica.State == "connected")
            : null;
    }

    private IServer AnyNode() => _connection.GetServers().First(server => server.IsConnected);
}
