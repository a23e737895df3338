namespace Suppression.Gateway.Tests.Infrastructure;

public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
