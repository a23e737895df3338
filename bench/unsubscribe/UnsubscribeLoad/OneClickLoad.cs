using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Suppression.Bench.Unsubscribe;

/// <summary>
/// Sends one RFC 8058 one-click POST to each link, from a fixed number of workers that each take
/// the next link as soon as their previous request has its answer (closed loop), and times every
/// request from before sending to after reading the whole response.
/// </summary>
internal sealed class OneClickLoad
{
    // RFC 8058 section 3.1: the body a mail client posts to the List-Unsubscribe URI.
    private static readonly byte[] OneClickBody = "List-Unsubscribe=One-Click"u8.ToArray();
    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded");

    private readonly HttpClient _client;
    private readonly IReadOnlyList<Uri> _links;
    private readonly long[] _latencyTicks;
    private readonly double _ticksBetweenStarts;
    private readonly Uri? _rawBase;
    private long _start;
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _next = -1;

    private OneClickLoad(HttpClient client, IReadOnlyList<Uri> links, int rate, Uri? rawBase)
    {
        _rawBase = rawBase;
        _client = client;
        _links = links;
        _latencyTicks = new long[links.Count];
        _ticksBetweenStarts = rate > 0 ? (double)Stopwatch.Frequency / rate : 0;
    }

    /// <param name="rate">POSTs started per second (open loop: request n starts at n / rate s, or as soon
    /// after as a worker is free); 0 for a closed loop.</param>
    /// <param name="rawBase">Set: each worker POSTs over its own <see cref="OneClickConnection"/> to this base, not through <paramref name="client"/>.</param>
    public static async Task<LoadResult> RunAsync(
        HttpClient client, IReadOnlyList<Uri> links, int concurrency, int rate, CancellationToken cancellationToken, Uri? rawBase = null)
    {
        var load = new OneClickLoad(client, links, rate, rawBase);
        var workers = new Task[Math.Min(concurrency, links.Count)];
        var start = load._start = Stopwatch.GetTimestamp();
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = load.WorkAsync(cancellationToken);
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new LoadResult(links.Count, elapsed, LatencySummary.FromTicks(load._latencyTicks), load._failures);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        // Start every worker on the thread pool rather than on the caller's thread.
        await Task.Yield();
        OneClickConnection? connection = null;
        try
        {
            int index;
            while ((index = Interlocked.Increment(ref _next)) < _links.Count)
            {
                var start = Stopwatch.GetTimestamp();
                if (_ticksBetweenStarts > 0)
                {
                    // Timed from when it was due, not from when a worker got to it: a slow answer
                    // delays the POSTs after it, and that delay is part of their latency.
                    var due = _start + (long)(index * _ticksBetweenStarts);
                    var wait = Stopwatch.GetElapsedTime(start, due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    start = due;
                }

                string? failure = null;
                try
                {
                    int status;
                    if (_rawBase is not null)
                    {
                        if (connection is not { Reusable: true })
                        {
                            connection?.Dispose();
                            connection = await OneClickConnection.OpenAsync(_rawBase, cancellationToken);
                        }

                        status = await connection.PostAsync(_links[index], cancellationToken);
                    }
                    else
                    {
                        using var content = new ByteArrayContent(OneClickBody);
                        content.Headers.ContentType = FormContentType;
                        using var response = await _client.PostAsync(_links[index], content, cancellationToken);
                        status = (int)response.StatusCode;
                    }

                    if (status != (int)HttpStatusCode.OK)
                    {
                        failure = "HTTP " + status.ToString(CultureInfo.InvariantCulture);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or SocketException)
                {
                    failure = exception.GetType().Name + ": " + exception.Message;
                    connection?.Dispose();
                    connection = null;
                }

                _latencyTicks[index] = Stopwatch.GetTimestamp() - start;
                if (failure is not null)
                {
                    _failures.AddOrUpdate(failure, 1, (_, count) => count + 1);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
