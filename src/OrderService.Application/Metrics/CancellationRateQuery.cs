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
        asLoaded ??= [];
        var replaced = asLoaded.Select(f => f.OrderId).ToList();

        // Two index-backed reads, whatever the size of the seller's history: the seller's
        // counting cancellations in the window (by seller and time) with their orders (by
        // key), and the number of the seller's other authorized orders purchased in the
        // window (by seller and purchase time). The first is written out so that it starts
        // from the cancellations on every provider (SQLite keeps the order of a CROSS JOIN).
        var countedInWindow = (await db.Database.SqlQuery<CountedCancellation>($"""
                SELECT o."Id" AS "OrderId", o."PurchasedAt" AS "PurchasedAtTicks", c."CanceledAt" AS "CanceledAtTicks"
                FROM order_cancellations AS c CROSS JOIN orders AS o
                WHERE c."SellerId" = {sellerId} AND c."CountsAgainstSellerRate" = {true}
                  AND c."CanceledAt" >= {windowStart.UtcTicks} AND c."CanceledAt" < {windowEnd.UtcTicks}
                  AND o."Id" = c."OrderId" AND o."PaymentAuthorizedAt" IS NOT NULL
                """).ToListAsync(cancellationToken))
            .Where(c => !replaced.Contains(c.OrderId, StringComparer.Ordinal))
            .ToList();
        // The replaced ids as one parameter: see OrderRepository.
        var purchasedInWindow = await db.Orders.AsNoTracking()
            .CountAsync(o => o.SellerId == sellerId && o.PaymentAuthorizedAt != null
                && o.PurchasedAt >= windowStart && o.PurchasedAt < windowEnd && !EF.Parameter(replaced).Contains(o.Id), cancellationToken);

        var counted = countedInWindow
            .GroupBy(c => c.OrderId, StringComparer.Ordinal)
            .Select(g => new CancellationRate.OrderFact(g.Key, Instant(g.First().PurchasedAtTicks), PaymentAuthorized: true,
                g.Select(c => Instant(c.CanceledAtTicks)).ToList()))
            .ToList();
        var countedPurchasedInWindow = counted.Count(f => f.PurchasedAt >= windowStart && f.PurchasedAt < windowEnd);
        return CancellationRate.Compute(counted.Concat(asLoaded), purchasedInWindow - countedPurchasedInWindow, windowStart, windowEnd);
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

    private static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    /// <summary>One counting cancellation in the window, with its order's purchase (instants
    /// as the UTC ticks they are stored as).</summary>
    private sealed class CountedCancellation
    {
        public string OrderId { get; set; } = "";

        public long PurchasedAtTicks { get; set; }

        public long CanceledAtTicks { get; set; }
    }
}
