namespace OrderService.Domain;

/// <summary>The seller's cancellation rate (R17), as a pure function of a few facts per
/// order, so that the server can compute it from a query and a test from a list.
/// <para>The orders of a window are those purchased in [start, end) that reached payment
/// authorization: a PENDING order, one the marketplace canceled for payment (R4) and one
/// the buyer canceled while PENDING never did, and so are in neither count. Of those, an
/// order is counted when at least one of its cancellation records counts against the
/// seller (R14, R15, R5, partial cancellations R21 included); an order counts once however
/// many of its cancellations do.</para></summary>
public static class CancellationMetrics
{
    /// <summary>The policy target: the rate must stay under 2.5 % (R17).</summary>
    public const int TargetBasisPoints = 250;

    /// <summary>R17: "over the last 7 days".</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary>What the rate needs to know about one order of the seller.</summary>
    public sealed record OrderFact(string OrderId, DateTimeOffset PurchasedAt, bool PaymentAuthorized, bool HasCountedCancellation)
    {
        public static OrderFact Of(Order order) =>
            new(order.Id, order.PurchasedAt, order.PaymentAuthorizedAt is not null, order.HasCountedCancellation);
    }

    /// <summary>The rate over one window, with the counted orders so that the seller can
    /// audit the number.</summary>
    public sealed record Summary(
        DateTimeOffset WindowStart,
        DateTimeOffset WindowEnd,
        int CountedCancellations,
        int TotalOrders,
        int RateBasisPoints,
        IReadOnlyList<string> CountedOrderIds)
    {
        public int TargetBasisPoints => CancellationMetrics.TargetBasisPoints;

        /// <summary>Judged on the rounded rate that is reported, so that the two never
        /// disagree (a reported 250 is never "met").</summary>
        public bool TargetMet => RateBasisPoints < TargetBasisPoints;
    }

    /// <summary>What one cancellation does to the rate (validate_only shows it before the
    /// seller commits).</summary>
    public sealed record RateImpact(
        bool CountsAgainstSellerRate,
        int RateBeforeBasisPoints,
        int RateAfterBasisPoints,
        bool CrossesTarget)
    {
        public int TargetBasisPoints => CancellationMetrics.TargetBasisPoints;
    }

    /// <summary>The rate over [<paramref name="windowStart"/>, <paramref name="windowEnd"/>)
    /// from the facts of the seller's orders (any superset of the window's orders will do).</summary>
    public static Summary Compute(IEnumerable<OrderFact> ordersOfSeller, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(ordersOfSeller);
        if (windowEnd <= windowStart)
        {
            throw new ArgumentException("The window must end after it starts.", nameof(windowEnd));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        var counted = new List<string>();
        foreach (var order in ordersOfSeller)
        {
            // An order twice would be counted twice: a caller's bug, not something to guess about.
            if (!seen.Add(order.OrderId))
            {
                throw new ArgumentException($"Order '{order.OrderId}' appears twice.", nameof(ordersOfSeller));
            }

            if (!IsInWindow(order, windowStart, windowEnd))
            {
                continue;
            }

            total++;
            if (order.HasCountedCancellation)
            {
                counted.Add(order.OrderId);
            }
        }

        counted.Sort(StringComparer.Ordinal);
        return new Summary(windowStart, windowEnd, counted.Count, total, BasisPoints(counted.Count, total), counted);
    }

    /// <summary>The rate before and after one more cancellation of <paramref name="order"/>.
    /// It changes only when that cancellation counts, the order is one of the window's
    /// orders, and the order is not counted already (an order counts once).</summary>
    public static RateImpact Impact(Summary before, OrderFact order, bool thisCancellationCounts)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(order);

        var after = before.RateBasisPoints;
        if (thisCancellationCounts && !order.HasCountedCancellation && IsInWindow(order, before.WindowStart, before.WindowEnd))
        {
            if (before.CountedCancellations >= before.TotalOrders)
            {
                throw new ArgumentException($"Order '{order.OrderId}' is in the window but the summary does not include it uncounted.", nameof(before));
            }

            after = BasisPoints(before.CountedCancellations + 1, before.TotalOrders);
        }

        return new RateImpact(thisCancellationCounts, before.RateBasisPoints, after,
            CrossesTarget: before.TargetMet && after >= TargetBasisPoints);
    }

    /// <summary>counted / total in basis points, rounded half up; 0 for no orders.</summary>
    public static int BasisPoints(int counted, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counted);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counted, total);
        return total == 0 ? 0 : (int)((counted * 20_000L + total) / (2L * total));
    }

    private static bool IsInWindow(OrderFact order, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        order.PaymentAuthorized && order.PurchasedAt >= windowStart && order.PurchasedAt < windowEnd;
}
