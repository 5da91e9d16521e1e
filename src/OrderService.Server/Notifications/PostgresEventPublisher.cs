using Npgsql;
using OrderService.Persistence;

namespace OrderService.Server.Notifications;

/// <summary>On PostgreSQL, tells the other instances that this one committed events: a
/// NOTIFY sent after the commits, on a connection of its own, never inside a writer's
/// transaction (where PostgreSQL would serialize every commit on its notification queue
/// lock). Commits that happen while one NOTIFY is being sent share the next one. Only a
/// hint: every instance's tail also polls the log.</summary>
public sealed class PostgresEventPublisher(
    IConfiguration configuration,
    EventLogSignal signal,
    ILogger<PostgresEventPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = DatabaseSetup.ProviderFrom(configuration);
        if (provider != DatabaseProvider.Postgres)
        {
            return;
        }

        var connectionString = DatabaseSetup.ConnectionStringFrom(configuration, provider);
        var committed = signal.NextLocalCommitAsync();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using var notify = new NpgsqlCommand($"NOTIFY {OrderDbContext.EventChannel}", connection);
                while (true)
                {
                    await committed.WaitAsync(stoppingToken);
                    committed = signal.NextLocalCommitAsync(); // before sending: a commit meanwhile sends again
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.NotifyFailed(exception, OrderDbContext.EventChannel);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
