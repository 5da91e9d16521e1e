using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Application.Cancellations;

/// <summary>Configuration section "AutoCancel".</summary>
public sealed class AutoCancelOptions
{
    public const string Section = "AutoCancel";

    /// <summary>Runs the passes at all. Every instance may run them: on PostgreSQL one
    /// instance at a time does a pass (an advisory lock) and the others skip it, and orders
    /// are changed under optimistic concurrency in any case, so two instances never cancel
    /// or warn of one order twice.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between passes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before an auto-cancel (R5) the seller is warned.</summary>
    public TimeSpan WarningLeadTime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Orders changed per query, so a backlog never loads everything at once.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>What one pass did. <paramref name="HeldByAnotherRunner"/>: it did nothing because
/// another runner (in this process, or another instance on the database) held the pass's
/// lock. <paramref name="LockLost"/>: it stopped part-way because its lock's session broke.</summary>
public sealed record AutoCancelPass(int Expired, int AutoCanceled, int Warned, bool HeldByAnotherRunner = false, bool LockLost = false);

/// <summary>The automatic cancellations, driven by <see cref="TimeProvider"/>: PENDING
/// orders whose payment was not authorized within 21 days (R4, the marketplace's, never
/// counted), orders with units unshipped 7 days after the latest ship date (R5, counted),
/// and the seller's warning ahead of the latter. Each change is the domain's, saved with
/// its events, so each one is notified like any other cancellation.</summary>
public sealed class AutoCancellationService(
    IServiceScopeFactory scopes,
    PassLocks locks,
    TimeProvider clock,
    IOptions<AutoCancelOptions> options,
    ILogger<AutoCancellationService> logger) : BackgroundService
{
    /// <summary>One pass, unless another runner holds the pass's lock: then nothing, at once.
    /// A cancelled <paramref name="cancellationToken"/> (the host stopping) ends it between
    /// two orders or rolls back the one in flight: each order's change commits whole or not
    /// at all.</summary>
    public async Task<AutoCancelPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (held, refusal) = await locks.TryAcquireAsync(PassLocks.AutoCancel, cancellationToken);
        if (held is null)
        {
            logger.PassHeldByAnotherRunner(refusal == PassLocks.Refusal.RunningHere ? "in this process" : "on another instance");
            return new AutoCancelPass(0, 0, 0, HeldByAnotherRunner: true);
        }

        await using (held)
        {
            var now = clock.GetUtcNow();
            var expiredBefore = now - Order.PaymentVerificationLimit;
            var shipDateMissedBefore = now - Order.AutoCancelGrace;
            var warnShipDatesBefore = now - Order.AutoCancelGrace + options.Value.WarningLeadTime;

            var expired = await ChangeEachAsync(held,
                db => db.Orders.Where(o => o.Status == OrderStatus.Pending && o.PurchasedAt <= expiredBefore),
                order => order.ExpireUnauthorizedPayment(now),
                cancellationToken);
            var autoCanceled = expired.LockLost ? default : await ChangeEachAsync(held,
                db => db.Orders.Where(o => (o.Status == OrderStatus.Unshipped || o.Status == OrderStatus.PartiallyShipped)
                    && o.LatestShipDate <= shipDateMissedBefore),
                order => order.AutoCancelForMissedShipDate(now),
                cancellationToken);
            var warned = expired.LockLost || autoCanceled.LockLost ? default : await ChangeEachAsync(held,
                db => db.Orders.Where(o => (o.Status == OrderStatus.Unshipped || o.Status == OrderStatus.PartiallyShipped)
                    && o.AutoCancelWarnedAt == null && o.LatestShipDate <= warnShipDatesBefore),
                order => order.WarnOfAutoCancel(now),
                cancellationToken);

            var lockLost = expired.LockLost || autoCanceled.LockLost || warned.LockLost;
            var pass = new AutoCancelPass(expired.Changed, autoCanceled.Changed, warned.Changed, LockLost: lockLost);
            if (lockLost)
            {
                logger.PassLockLost(pass.Expired, pass.AutoCanceled, pass.Warned);
            }
            else if (pass.Expired + pass.AutoCanceled + pass.Warned > 0)
            {
                logger.PassCompleted(pass.Expired, pass.AutoCanceled, pass.Warned);
            }

            return pass;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.PassFailed(exception, options.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Applies <paramref name="change"/> to every order the query finds, one
    /// order per transaction: a conflict with a concurrent change (the seller shipping at
    /// that moment, another instance's pass) loses only that order, which the next pass
    /// sees again in its new state.
    /// A batch starts only while the pass's lock is still held: when its session broke, the
    /// pass stops and leaves the rest to whoever holds the lock now.</summary>
    private async Task<(int Changed, bool LockLost)> ChangeEachAsync(
        PassLock held, Func<OrderDbContext, IQueryable<Order>> due, Action<Order> change, CancellationToken cancellationToken)
    {
        var changed = 0;
        var skipped = new HashSet<string>();
        while (true)
        {
            if (!await held.StillHeldAsync(cancellationToken))
            {
                return (changed, true);
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
            var batch = await due(db).Where(o => !skipped.Contains(o.Id))
                .OrderBy(o => o.Id).Take(options.Value.BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (changed, false);
            }

            foreach (var order in batch)
            {
                try
                {
                    change(order);
                    await db.SaveChangesAsync(cancellationToken);
                    changed++;
                }
                catch (Exception exception) when (exception is DomainException or DbUpdateException)
                {
                    // Changed meanwhile, or no longer due: leave it to the next pass.
                    logger.OrderSkipped(order.Id, exception is DomainException refusal ? refusal.Reason : exception.GetType().Name);
                    skipped.Add(order.Id);
                    db.ChangeTracker.Clear();
                    break; // re-read the batch on a clean context
                }
            }
        }
    }
}
