using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>Records every measurement of the named meters while it is alive, with its tags, as an exporter would see them.</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeasurementRecorder(params string[] meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<RecordedMeasurement> Measurements { get; } = new();

    /// <summary>The sum of an instrument's measurements that carry (at least) the given tags.</summary>
    public double Sum(string instrument, params (string Key, object Value)[] tags) => Matching(instrument, tags).Sum(measurement => measurement.Value);

    /// <summary>How many measurements (a histogram's count) carry the given tags.</summary>
    public int Count(string instrument, params (string Key, object Value)[] tags) => Matching(instrument, tags).Count();

    public IEnumerable<RecordedMeasurement> Matching(string instrument, params (string Key, object Value)[] tags) =>
        Measurements.Where(measurement => measurement.Instrument == instrument
            && tags.All(tag => measurement.Tags.TryGetValue(tag.Key, out var value) && Equals(value, tag.Value)));

    public override string ToString() => string.Join(
        Environment.NewLine,
        Measurements.GroupBy(measurement => measurement.Instrument + " " + string.Join(",", measurement.Tags.OrderBy(tag => tag.Key).Select(tag => $"{tag.Key}={tag.Value}")))
            .Select(group => $"{group.Key}: count {group.Count()}, sum {group.Sum(measurement => measurement.Value)}"));

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copied));
    }
}
