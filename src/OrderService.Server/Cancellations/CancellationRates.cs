using Microsoft.EntityFrameworkCore;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Server.Cancellations;

/// <summary>Reads the facts <see cref="CancellationMetrics"/> needs (R17) for one seller.</summary>
public static class CancellationRates
{
    /// <summary>The seller's rate over the window. <paramref name="asLoaded"/> replaces the
    /// database's facts of one order with those of the copy a request is working on, so
    /// that a concurrent change of that order (which will make the request's save fail
    /// and re-run) cannot make the numbers disagree with each other meanwhile.</summary>
    public static async Task<CancellationMetrics.Summary> ForSellerAsync(
        OrderDbContext db,
        string sellerId,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        CancellationToken cancellationToken,
        CancellationMetrics.OrderFact? asLoaded = null)
    {
        var facts = await db.Orders.AsNoTracking()
            .Where(o => o.SellerId == sellerId && o.PurchasedAt >= windowStart && o.PurchasedAt < windowEnd && o.PaymentAuthorizedAt != null)
            .Select(o => new
            {
                o.Id,
                o.PurchasedAt,
                Counted = o.Cancellations.Any(c => c.CountsAgainstSellerRate),
            })
            .ToListAsync(cancellationToken);
        var orderFacts = facts.Select(f => new CancellationMetrics.OrderFact(f.Id, f.PurchasedAt, PaymentAuthorized: true, f.Counted));
        if (asLoaded is not null)
        {
            orderFacts = orderFacts.Where(f => f.OrderId != asLoaded.OrderId).Append(asLoaded);
        }

        return CancellationMetrics.Compute(orderFacts, windowStart, windowEnd);
    }
}
