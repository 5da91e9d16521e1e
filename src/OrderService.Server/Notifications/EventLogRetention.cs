using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderService.Persistence;

namespace OrderService.Server.Notifications;

/// <summary>Deletes events and stored request answers past their retention, and records
/// how far the log was pruned so that a stream resuming from before it gets OUT_OF_RANGE
/// instead of silently missing notices.</summary>
public sealed class EventLogRetention(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    ILogger<EventLogRetention> logger) : BackgroundService
{
    /// <summary>One pass. Returns the number of events deleted.</summary>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        var eventCutoff = now - options.Value.Retention;
        var requestCutoff = now - options.Value.IdempotencyRetention;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var prunedThrough = await db.OrderEvents.Where(e => e.OccurredAt < eventCutoff)
            .MaxAsync(e => (long?)e.Id, cancellationToken);
        var deleted = 0;
        if (prunedThrough is not null)
        {
            // Advance the watermark first: a reader that sees the deletion sees it too.
            await db.EventLogState.Where(s => s.Id == EventLogState.SingletonId && s.PrunedThroughId < prunedThrough)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.PrunedThroughId, prunedThrough.Value), cancellationToken);
            deleted = await db.OrderEvents.Where(e => e.Id <= prunedThrough.Value).ExecuteDeleteAsync(cancellationToken);
        }

        var forgotten = await db.IdempotencyRecords.Where(r => r.CreatedAt < requestCutoff).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (deleted > 0 || forgotten > 0)
        {
            logger.RetentionPruned(deleted, prunedThrough, forgotten);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval, clock);
        do
        {
            try
            {
                await PruneAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.RetentionFailed(exception, options.Value.PruneInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
