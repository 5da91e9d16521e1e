using Microsoft.EntityFrameworkCore;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Server.Cancellations;

/// <summary>Reads the facts <see cref="CancellationMetrics"/> needs (R17) for one seller.</summary>
public static class CancellationRates
{
    public static async Task<CancellationMetrics.Summary> ForSellerAsync(
        OrderDbContext db, string sellerId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
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
        return CancellationMetrics.Compute(
            facts.Select(f => new CancellationMetrics.OrderFact(f.Id, f.PurchasedAt, PaymentAuthorized: true, f.Counted)),
            windowStart,
            windowEnd);
    }
}
