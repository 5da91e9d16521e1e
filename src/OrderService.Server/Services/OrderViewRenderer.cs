using OrderService.Application.Orders;

namespace OrderService.Server.Services;

/// <summary>At start, renders every stale stored view (see <see cref="RenderStaleViews"/>)
/// in the background: after an upgrade that changed the contract or the mapping, reads are
/// served from whole loads until their view is rendered again, never from an old view.</summary>
public sealed class OrderViewRenderer(IServiceScopeFactory scopes, ILogger<OrderViewRenderer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var after = "";
        var batches = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var next = await scope.ServiceProvider.GetRequiredService<RenderStaleViews>().RenderBatchAsync(after, stoppingToken);
                if (next is null)
                {
                    break;
                }

                after = next;
                batches++;
            }

            if (batches > 0)
            {
                logger.StaleViewsRendered(batches * RenderStaleViews.BatchSize);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Reads stay correct without views; the next start tries again.
            logger.StaleViewsStopped(exception, after);
        }
    }
}
