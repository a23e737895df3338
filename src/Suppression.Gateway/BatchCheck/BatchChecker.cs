using Suppression.Addresses;
using Suppression.Checks;
using Suppression.Smtp.Delivery;
using Suppression.Suppressions;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// Checks addresses a chunk at a time: reads a chunk, sends its lookups to the store (one pipelined
/// batch), reads the next chunks while up to <paramref name="depth"/> batches are in flight, then
/// writes the oldest chunk's answers in input order and flushes. Memory is a few chunks whatever
/// the body's length. Each address is decided by <see cref="MessageContext.BlockingEntry"/>, the
/// function SMTP applies after DATA.
/// </summary>
public sealed class BatchChecker(ISuppressionStore store, MessageContext context, EntryDisclosure disclosure, int chunkSize, int depth = 3)
{
    public CheckCounts Counts { get; } = new();

    /// <exception cref="SuppressionStoreUnavailableException">The store failed; answers before it may have been written (see <see cref="ICheckAnswerWriter.HasBegun"/>).</exception>
    public async Task RunAsync(IAsyncEnumerable<AddressInput> inputs, ICheckAnswerWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(writer);
        var inFlight = new Queue<(Chunk Chunk, Task<IReadOnlyList<SuppressionEntry>[]> Lookup)>(depth);
        await using var reader = inputs.GetAsyncEnumerator(cancellationToken);
        var more = true;
        try
        {
            while (true)
            {
                while (more && inFlight.Count < depth)
                {
                    var chunk = new Chunk(chunkSize);
                    more = await chunk.FillAsync(reader);
                    if (chunk.Inputs.Count > 0)
                    {
                        inFlight.Enqueue((chunk, chunk.Valid.Count == 0 ? Task.FromResult<IReadOnlyList<SuppressionEntry>[]>([]) : store.GetEntriesAsync(chunk.Valid, cancellationToken)));
                    }
                }

                if (inFlight.Count == 0)
                {
                    break;
                }

                var (oldest, lookup) = inFlight.Peek();
                var entries = await lookup;
                inFlight.Dequeue();
                if (!writer.HasBegun)
                {
                    writer.Begin(context);
                }

                WriteAnswers(oldest, entries, writer);
                await writer.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            // A failed or abandoned run leaves no lookup's fault unobserved.
            foreach (var (_, lookup) in inFlight)
            {
                _ = lookup.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }

        if (!writer.HasBegun)
        {
            writer.Begin(context);
        }
    }

    private void WriteAnswers(Chunk chunk, IReadOnlyList<SuppressionEntry>[] entries, ICheckAnswerWriter writer)
    {
        var next = 0;
        for (var i = 0; i < chunk.Inputs.Count; i++)
        {
            var input = chunk.Inputs[i];
            CheckAnswer answer;
            if (chunk.Errors[i] is { } error)
            {
                answer = new CheckAnswer(input.Address, CheckVerdict.Invalid, Error: error);
            }
            else
            {
                answer = context.BlockingEntry(entries[next++]) is { } blocking
                    ? new CheckAnswer(input.Address, CheckVerdict.Suppressed, disclosure(blocking))
                    : new CheckAnswer(input.Address, CheckVerdict.Deliver);
            }

            Counts.Add(answer.Verdict);
            writer.Write(answer);
        }
    }

    // The inputs in order, and the addresses among them that normalised, in the same order.
    private sealed class Chunk(int capacity)
    {
        public List<AddressInput> Inputs { get; } = new(capacity);

        public List<string?> Errors { get; } = new(capacity);

        public List<NormalizedAddress> Valid { get; } = new(capacity);

        /// <returns>False when the inputs have run out.</returns>
        public async ValueTask<bool> FillAsync(IAsyncEnumerator<AddressInput> reader)
        {
            while (Inputs.Count < capacity)
            {
                if (!await reader.MoveNextAsync())
                {
                    return false;
                }

                var input = reader.Current;
                Inputs.Add(input);
                if (input.Problem is not null)
                {
                    Errors.Add(input.Problem);
                }
                else if (AddressNormalizer.TryNormalize(input.Address, out var address, out var error))
                {
                    Errors.Add(null);
                    Valid.Add(address);
                }
                else
                {
                    Errors.Add(error);
                }
            }

            return true;
        }
    }
}
