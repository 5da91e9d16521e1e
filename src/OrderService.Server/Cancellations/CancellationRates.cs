using Microsoft.EntityFrameworkCore;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Server.Cancellations;

/// <summary>Reads the facts <see cref="CancellationMetrics"/> needs (R17) for one seller.</summary>
public static class CancellationRates
{
    /// <summary>The seller's rate over the window: its authorized orders purchased in the
    /// window or with a counting cancellation in it, each with the times of its counting
    /// cancellations. <paramref name="asLoaded"/> replaces the database's facts of those
    /// orders with those of the copies a request is working on, so that a concurrent change
    /// of one of them (which will make the request's save fail and re-run) cannot make the
    /// numbers disagree with each other meanwhile.</summary>
    public static async Task<CancellationMetrics.Summary> ForSellerAsync(
        OrderDbContext db,
        string sellerId,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        CancellationToken cancellationToken,
        IReadOnlyCollection<CancellationMetrics.OrderFact>? asLoaded = null)
    {
        var facts = await db.Orders.AsNoTracking()
            .Where(o => o.SellerId == sellerId && o.PaymentAuthorizedAt != null
                && ((o.PurchasedAt >= windowStart && o.PurchasedAt < windowEnd)
                    || o.Cancellations.Any(c => c.CountsAgainstSellerRate && c.CanceledAt >= windowStart && c.CanceledAt < windowEnd)))
            .Select(o => new
            {
                o.Id,
                o.PurchasedAt,
                CountedTimes = o.Cancellations.Where(c => c.CountsAgainstSellerRate).Select(c => c.CanceledAt).ToList(),
            })
            .ToListAsync(cancellationToken);
        var orderFacts = facts.Select(f => new CancellationMetrics.OrderFact(f.Id, f.PurchasedAt, PaymentAuthorized: true, f.CountedTimes));
        if (asLoaded is { Count: > 0 })
        {
            var replaced = asLoaded.Select(f => f.OrderId).ToHashSet(StringComparer.Ordinal);
            orderFacts = orderFacts.Where(f => !replaced.Contains(f.OrderId)).Concat(asLoaded);
        }

        return CancellationMetrics.Compute(orderFacts, windowStart, windowEnd);
    }
}
