using Microsoft.EntityFrameworkCore;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Application.Metrics;

/// <summary>Reads the facts <see cref="CancellationRate"/> needs (R17) for one seller.</summary>
public sealed class CancellationRateQuery(OrderDbContext db)
{
    /// <summary>The seller's rate over the window: its authorized orders purchased in the
    /// window or with a counting cancellation in it, each with the times of its counting
    /// cancellations. <paramref name="asLoaded"/> replaces the database's facts of those
    /// orders with those of the copies a request is working on, so that a concurrent change
    /// of one of them (which will make the request's save fail and re-run) cannot make the
    /// numbers disagree with each other meanwhile.</summary>
    public async Task<CancellationRate.Summary> ForSellerAsync(
        string sellerId,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd,
        CancellationToken cancellationToken,
        IReadOnlyCollection<CancellationRate.OrderFact>? asLoaded = null)
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
        var orderFacts = facts.Select(f => new CancellationRate.OrderFact(f.Id, f.PurchasedAt, PaymentAuthorized: true, f.CountedTimes));
        if (asLoaded is { Count: > 0 })
        {
            var replaced = asLoaded.Select(f => f.OrderId).ToHashSet(StringComparer.Ordinal);
            orderFacts = orderFacts.Where(f => !replaced.Contains(f.OrderId)).Concat(asLoaded);
        }

        return CancellationRate.Compute(orderFacts, windowStart, windowEnd);
    }

    /// <summary>The seller's rate over the 7 days up to and including <paramref name="at"/>
    /// (R17), the window a cancellation made then falls in, with the facts of the orders
    /// the request works on as they were loaded (<paramref name="asLoaded"/>).</summary>
    public Task<CancellationRate.Summary> ThroughAsync(
        string sellerId, DateTimeOffset at, IReadOnlyCollection<CancellationRate.OrderFact> asLoaded, CancellationToken cancellationToken)
    {
        var (start, end) = CancellationRate.WindowThrough(at);
        return ForSellerAsync(sellerId, start, end, cancellationToken, asLoaded);
    }
}
