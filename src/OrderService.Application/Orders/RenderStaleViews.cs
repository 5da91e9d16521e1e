using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Persistence;

namespace OrderService.Application.Orders;

/// <summary>Renders the stored views that are missing, in another format or older than
/// their order (orders written before views existed, or by a build whose contract or
/// mapping differed or that did not render views), a batch at a
/// time in primary-key order, so that reads stop falling back to loading them whole. A view
/// is never needed for correctness: a read of a stale one loads the order instead.</summary>
public sealed class RenderStaleViews(OrderDbContext db, OrderRepository orders)
{
    /// <summary>Orders per transaction.</summary>
    public const int BatchSize = 500;

    private static readonly Caller Everyone = new(CallerRole.Marketplace, "view-renderer");

    /// <summary>One batch of orders after <paramref name="afterOrderId"/> (by id) whose view
    /// is stale. Returns the last id examined, or null when none is left. A batch one of
    /// whose orders changed meanwhile is skipped: that change rendered its view.</summary>
    public async Task<string?> RenderBatchAsync(string afterOrderId, CancellationToken cancellationToken)
    {
        var format = OrderViews.CurrentFormat;
        var ids = await db.Orders.AsNoTracking()
            .Where(o => string.Compare(o.Id, afterOrderId) > 0
                && (EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn) != format || EF.Property<int>(o, IOrderViewRenderer.ViewVersionColumn) != o.Version))
            .OrderBy(o => o.Id)
            .Select(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return null;
        }

        db.ChangeTracker.Clear();
        foreach (var order in (await orders.FindVisibleAsync(Everyone, ids, cancellationToken)).Values)
        {
            db.RenderView(order);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent change of one of them rendered its view; the others are
            // rendered again the next time the renderer runs (or when they change).
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return ids[^1];
    }
}
