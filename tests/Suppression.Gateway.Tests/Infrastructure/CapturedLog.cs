using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// Keeps a gateway's warnings and errors (with exceptions) so a failing test can show what the server
/// saw; or, from a lower level, every line, for tests of what the log says.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly LogLevel _minimum;

    private CapturedLog(LogLevel minimum) => _minimum = minimum;

    /// <summary>Every line kept: level, category, the formatted message and any exception.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    /// <param name="minimum">The lowest level kept; the gateway's configured levels filter first.</param>
    public static CapturedLog AttachTo(GatewayInstance gateway, LogLevel minimum = LogLevel.Warning)
    {
        var log = new CapturedLog(minimum);
        ((ILoggerFactory)gateway.Services.GetService(typeof(ILoggerFactory))!).AddProvider(log);
        return log;
    }

    /// <summary>A logger factory of its own, for a component a test builds without a gateway.</summary>
    public static ILoggerFactory NewFactory(out CapturedLog log, LogLevel minimum = LogLevel.Warning)
    {
        var captured = new CapturedLog(minimum);
        log = captured;
        return LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(captured));
    }

    public override string ToString() => string.Join(Environment.NewLine, _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= log._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
