using Npgsql;
using OrderService.Persistence;

namespace OrderService.Server.Notifications;

/// <summary>On PostgreSQL, LISTENs for the NOTIFY that every instance sends after it commits
/// events (<see cref="PostgresEventPublisher"/>), so that a notice committed through another
/// instance wakes this instance's tail at once. Polling remains the safety net: a lost
/// connection costs latency, never a notice.</summary>
public sealed class PostgresEventListener(
    IConfiguration configuration,
    EventLogSignal signal,
    ILogger<PostgresEventListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = DatabaseSetup.ProviderFrom(configuration);
        if (provider != DatabaseProvider.Postgres)
        {
            return;
        }

        var connectionString = DatabaseSetup.ConnectionStringFrom(configuration, provider);
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {OrderDbContext.EventChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                signal.Notify(); // whatever committed while we were not listening
                backoff = TimeSpan.FromSeconds(1);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.ListenFailed(exception, OrderDbContext.EventChannel, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
