using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Suppression.Redis.Embedded;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;
using Suppression.Suppressions;

namespace Suppression.Redis.Connection;

/// <summary>
/// The connection to the suppression list: the configured Redis, or an embedded Garnet server
/// under the data directory reached through the very same client code. The host starts it as its
/// first hosted service and stops it after Kestrel has drained. The client reconnects on its own: a Redis outage defers mail and recovers without a restart.
/// Parts built before the host starts await <see cref="WhenReadyAsync"/>; everything else is built
/// from the connection after it.
/// </summary>
public sealed class SuppressionStorage(string? redisConfiguration, string dataDirectory, RedisKeyLayout layout, StorageFormat newStoreFormat, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable, ISuppressionStoreReadiness
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SuppressionStorage>();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? _connection;

    public EmbeddedRedisServer? Embedded { get; private set; }

    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    // The stores are built from this only after WhenReadyAsync (SuppressionRedisRegistration): a
    // part that reads it earlier is a wiring mistake, said so rather than handed a null.
    internal IConnectionMultiplexer StartedConnection =>
        _ready.Task.IsCompletedSuccessfully && _connection is not null
            ? _connection
            : throw new InvalidOperationException("The suppression store is used before it has started: await ISuppressionStoreReadiness.WhenReadyAsync first.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
            _ready.TrySetResult();
        }
        catch (Exception exception)
        {
            // Whoever awaits the store hears why it will not come, rather than waiting for ever.
            _ready.TrySetException(exception);
            throw;
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var configuration = redisConfiguration;
        if (string.IsNullOrWhiteSpace(configuration))
        {
            Embedded = await EmbeddedRedisServer.StartAsync(dataDirectory, loggerFactory, cancellationToken);
            configuration = Embedded.ConfigurationString;
            _logger.EmbeddedStoreStarted(Embedded.Port, Embedded.DataDirectory);
        }

        _connection = await RedisConnectionFactory.ConnectAsync(configuration, cancellationToken);
        if (!_connection.IsConnected)
        {
            _logger.RedisNotReachableAtStart();
            return;
        }

        try
        {
            await RedisConnectionFactory.WarmUpScriptsAsync(_connection);
        }
        catch (SuppressionStoreUnavailableException exception)
        {
            // A slow Redis must not stop the start.
            _logger.ScriptWarmUpFailed(exception);
        }

        await ReportFormatAsync(_connection);
    }

    // A store never written to starts compact; one with data stays as it is until an operator
    // upgrades it, because only the operator knows that no older gateway still reads it. A marker
    // this version does not know (UnknownStorageFormatException) stops the start: a later version's
    // values may be unreadable here, and an entry read as none is mail delivered to someone who opted out.
    private async Task ReportFormatAsync(IConnectionMultiplexer connection)
    {
        try
        {
            var format = await StorageFormatMarker.InitializeAsync(connection, layout, newStoreFormat);
            if (format < newStoreFormat)
            {
                // The setting is only for a store without data: say so rather than let an operator
                // believe addresses are no longer kept.
                _logger.NewStoreFormatNotApplied(newStoreFormat, format, newStoreFormat.ToString().ToLowerInvariant());
            }

            switch (format)
            {
                case StorageFormat.Text:
                    _logger.StoredAsText();
                    break;
                case StorageFormat.Compact:
                    _logger.StoredCompact();
                    break;
                default:
                    _logger.StoredHashed();
                    break;
            }
        }
        catch (SuppressionStoreUnavailableException exception)
        {
            // Writers read the marker themselves; without it they write text, which every version reads.
            _logger.FormatMarkerUnreadable(exception);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _ready.TrySetCanceled(cancellationToken);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
            _connection = null;
        }

        if (Embedded is not null)
        {
            await Embedded.DisposeAsync();
            Embedded = null;
        }
    }
}
