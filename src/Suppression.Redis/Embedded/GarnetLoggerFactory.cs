using Microsoft.Extensions.Logging;

namespace Suppression.Redis.Embedded;

// Hands Garnet loggers from the host's factory, under a "Garnet." category and at Warning and
// above only: Garnet reports its start-up, memory budget and recovery at Information, which is
// noise in a gateway's log. The host owns the inner factory, so disposing this does nothing.
internal sealed class GarnetLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    // Garnet's argument parser warns on every start that a supplied ILoggerFactory overrides its
    // --logger-level and console options, which is exactly what we intend; its real argument
    // errors are logged as errors.
    private const string ArgumentParserCategory = "ArgParser";

    public ILogger CreateLogger(string categoryName)
    {
        var minimum = categoryName == ArgumentParserCategory ? LogLevel.Error : LogLevel.Warning;
        return new FilteredLogger(inner.CreateLogger("Garnet." + categoryName), minimum);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }

    private sealed class FilteredLogger(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
