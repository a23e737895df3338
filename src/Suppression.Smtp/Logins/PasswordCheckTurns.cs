using System.Net;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Logins;

/// <summary>
/// At most so many password checks in flight per client network; the rest wait their turn rather
/// than being refused, so a sending system that logs in on many connections at once always gets in.
/// This is what bounds the guesses that can slip past a lockout: a failure is counted when its check
/// ends, so while the limit's failure is being counted, at most <c>perClient - 1</c> other checks
/// from that network can already be past the lockout test.
/// </summary>
public sealed class PasswordCheckTurns(int perClient)
{
    private readonly Dictionary<IPAddress, Gate> _gates = [];

    public async ValueTask<Turn> WaitAsync(IPAddress client, CancellationToken cancellationToken)
    {
        var network = ClientNetwork.Of(client);
        Gate? gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(network, out gate))
            {
                gate = new Gate(new SemaphoreSlim(perClient, perClient));
                _gates[network] = gate;
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(network, gate, held: false);
            throw;
        }

        return new Turn(this, network, gate);
    }

    /// <summary>Networks with a check in flight or waiting; the table holds no others.</summary>
    public int NetworksWaitingOrChecking
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    private void Leave(IPAddress network, Gate gate, bool held)
    {
        lock (_gates)
        {
            if (held)
            {
                gate.Semaphore.Release();
            }

            if (--gate.Users == 0)
            {
                _gates.Remove(network);
                gate.Semaphore.Dispose();
            }
        }
    }

    public readonly struct Turn : IDisposable
    {
        private readonly PasswordCheckTurns _owner;
        private readonly IPAddress _network;
        private readonly Gate _gate;

        internal Turn(PasswordCheckTurns owner, IPAddress network, Gate gate)
        {
            _owner = owner;
            _network = network;
            _gate = gate;
        }

        public void Dispose() => _owner?.Leave(_network, _gate, held: true);
    }

    // Users: the checks holding or waiting for a turn; the gate goes when the last one leaves.
    internal sealed class Gate(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore => semaphore;

        public int Users { get; set; }
    }
}
