using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderService.Persistence;

namespace OrderService.Server.Health;

/// <summary>Health reports SERVING only while the database answers. The answer comes from
/// the database's state as last seen by a probe refreshed in the background, never from a
/// connection opened for the caller: Check needs no token, so an anonymous caller must not
/// be able to make the server open database connections at will. Until the first probe has
/// answered, callers share that one probe.</summary>
public sealed class DatabaseHealth(IServiceScopeFactory scopes, ILogger<DatabaseHealth> logger) : BackgroundService, IHealthCheck
{
    /// <summary>How stale the reported state may be.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly Lazy<Task<HealthCheckResult>> _firstProbe = new(() => ProbeAsync(scopes, logger, CancellationToken.None));
    private Snapshot? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _last) is { } last ? Task.FromResult(last.Result) : _firstProbe.Value.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Volatile.Write(ref _last, new Snapshot(await _firstProbe.Value));
        using var timer = new PeriodicTimer(RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Volatile.Write(ref _last, new Snapshot(await ProbeAsync(scopes, logger, stoppingToken)));
        }
    }

    private static async Task<HealthCheckResult> ProbeAsync(IServiceScopeFactory scopes, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.DatabaseProbeFailed(exception);
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }

    /// <summary>A result, boxed so that it is published to other threads whole.</summary>
    private sealed record Snapshot(HealthCheckResult Result);
}
