using System.Net;
using Suppression.Smtp.Logins;

namespace Suppression.Smtp.Tests.Logins;

public sealed class PasswordCheckTurnsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");

    [Fact]
    public async Task WaitAsync_PastTheBound_WaitsForATurnToEndAndOtherClientsGoAtOnce()
    {
        var turns = new PasswordCheckTurns(2);
        var first = await turns.WaitAsync(Client, CancellationToken.None);
        using var second = await turns.WaitAsync(Client, CancellationToken.None);

        var third = turns.WaitAsync(Client, CancellationToken.None).AsTask();
        using (await turns.WaitAsync(IPAddress.Parse("203.0.113.10"), CancellationToken.None))
        {
            Assert.False(third.IsCompleted);
        }

        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task WaitAsync_Ipv6_SharesTurnsPerSlash64()
    {
        var turns = new PasswordCheckTurns(1);
        using var held = await turns.WaitAsync(IPAddress.Parse("2001:db8:1:2::1"), CancellationToken.None);

        var sameNetwork = turns.WaitAsync(IPAddress.Parse("2001:db8:1:2::99"), CancellationToken.None).AsTask();

        var otherNetwork = turns.WaitAsync(IPAddress.Parse("2001:db8:1:3::1"), CancellationToken.None).AsTask();

        Assert.False(sameNetwork.IsCompleted);
        Assert.True(otherNetwork.IsCompleted);
    }

    [Fact]
    public async Task Turns_EndedOrCancelled_LeaveNothingInTheTable()
    {
        var turns = new PasswordCheckTurns(1);
        var held = await turns.WaitAsync(Client, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = turns.WaitAsync(Client, cancel.Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, turns.NetworksWaitingOrChecking);
    }
}
