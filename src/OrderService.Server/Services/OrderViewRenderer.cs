using OrderService.Application.Orders;
using OrderService.Persistence;

namespace OrderService.Server.Services;

/// <summary>At start, renders every stale stored view (see <see cref="RenderStaleViews"/>)
/// in the background: after an upgrade that changed the contract or the mapping, reads are
/// served from whole loads until their view is rendered again, never from an old view.
/// Instances started together after an upgrade take turns (<see cref="PassLocks"/>): one
/// renders, the others wait for the lock and then find little or nothing left to do, rather
/// than all rendering every view at once. A turn that ends early (its instance stopped, its
/// lock's session broke) leaves the rest to the next.</summary>
public sealed class OrderViewRenderer(IServiceScopeFactory scopes, PassLocks locks, ILogger<OrderViewRenderer> logger) : BackgroundService
{
    /// <summary>How often an instance asks again for the lock another one holds.</summary>
    public static readonly TimeSpan LockRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Waits for the rendering lock, then renders every view still stale; returns how
    /// many batches it rendered.</summary>
    public async Task<int> RenderAllStaleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (held, _) = await locks.TryAcquireAsync(PassLocks.RenderViews, cancellationToken);
            if (held is null)
            {
                await Task.Delay(LockRetryInterval, cancellationToken);
                continue;
            }

            await using (held)
            {
                var after = "";
                var batches = 0;
                while (await held.StillHeldAsync(cancellationToken))
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var next = await scope.ServiceProvider.GetRequiredService<RenderStaleViews>().RenderBatchAsync(after, cancellationToken);
                    if (next is null)
                    {
                        return batches;
                    }

                    after = next;
                    batches++;
                }

                logger.StaleViewsLockLost(after);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var batches = await RenderAllStaleAsync(stoppingToken);
            if (batches > 0)
            {
                logger.StaleViewsRendered(batches * RenderStaleViews.BatchSize);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Reads stay correct without views; the next start tries again.
            logger.StaleViewsStopped(exception);
        }
    }
}
