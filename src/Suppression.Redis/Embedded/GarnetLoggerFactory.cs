using Microsoft.Extensions.Logging;

namespace Suppression.Redis.Embedded;

// Hands Garnet loggers from the host's factory, under a "Garnet." category and at Warning and
// above only: Garnet reports its start-up, memory budget and recovery at Information, which is
// noise in a gateway's log. The host owns the inner factory, so disposing this does nothing.
internal sealed class GarnetLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const LogLevel MinimumLevel = LogLevel.Warning;

    public ILogger CreateLogger(string categoryName) => new FilteredLogger(inner.CreateLogger("Garnet." + categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }

    private sealed class FilteredLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
