using System.Collections.Immutable;

namespace OrderService.Domain;

/// <summary>The seller's cancellation rate (R17), as a pure function of a few facts per
/// order, so that the server can compute it from a query and a test from a list.
/// <para>A window [start, end) judges the seller by what happened in it. Counted are the
/// authorized orders with at least one cancellation that counts against the seller (R14,
/// R15, R5, partial cancellations R21 included) made in the window; an order counts once
/// however many of its cancellations do. The total is the authorized orders purchased in
/// the window plus the counted ones purchased before it, so the rate never exceeds 100 %.
/// Counting by cancellation time is what makes an R5 auto-cancel count at all (it happens
/// at least 7 days after the purchase, so never in a 7-day window by purchase time) and
/// what stops a seller from escaping the metric by canceling orders older than the window.
/// A PENDING order, one the marketplace canceled for payment (R4) and one the buyer
/// canceled while PENDING never reached payment authorization, and so are in neither
/// count.</para></summary>
public static class CancellationRate
{
    /// <summary>The policy target: the rate must stay under 2.5 % (R17).</summary>
    public const int TargetBasisPoints = 250;

    /// <summary>R17: "over the last 7 days".</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary>What the rate needs to know about one order of the seller.</summary>
    /// <param name="CountedCancellationTimes">When each of the order's cancellations that
    /// count against the seller took effect (R18 decides which count), in any order.</param>
    public sealed record OrderFact(
        string OrderId,
        DateTimeOffset PurchasedAt,
        bool PaymentAuthorized,
        IReadOnlyList<DateTimeOffset> CountedCancellationTimes)
    {
        public static OrderFact Of(Order order) =>
            new(order.Id, order.PurchasedAt, order.PaymentAuthorizedAt is not null,
                order.Cancellations.Where(c => c.CountsAgainstSellerRate).Select(c => c.CanceledAt).ToList());
    }

    /// <summary>The rate over one window, with the counted orders so that the seller can
    /// audit the number.</summary>
    /// <param name="CountedOrderIds">Sorted by ordinal comparison.</param>
    public sealed record Summary(
        DateTimeOffset WindowStart,
        DateTimeOffset WindowEnd,
        int CountedCancellations,
        int TotalOrders,
        int RateBasisPoints,
        IReadOnlyList<string> CountedOrderIds)
    {
        public int TargetBasisPoints => CancellationRate.TargetBasisPoints;

        /// <summary>Judged exactly, on counted / total, never on the rounded rate: a seller
        /// at 2.496 % meets "under 2.5 %" (R17) even though the rate reads 250 bp.</summary>
        public bool TargetMet => (long)CountedCancellations * 10_000 < (long)TargetBasisPoints * TotalOrders || TotalOrders == 0;
    }

    /// <summary>What one cancellation does to the rate (validate_only shows it before the
    /// seller commits).</summary>
    public sealed record RateImpact(
        bool CountsAgainstSellerRate,
        int RateBeforeBasisPoints,
        int RateAfterBasisPoints,
        bool CrossesTarget)
    {
        public int TargetBasisPoints => CancellationRate.TargetBasisPoints;
    }

    /// <summary>The 7-day window (R17) that a cancellation at <paramref name="at"/> is judged
    /// in: the 7 days up to and including that instant, [at + 1 tick - 7 days, at + 1 tick).
    /// A window ending at <paramref name="at"/> itself would leave the cancellation out,
    /// since a window's end is exclusive.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) WindowThrough(DateTimeOffset at)
    {
        var end = at.AddTicks(1);
        return (end - DefaultWindow, end);
    }

    /// <summary>The rate over [<paramref name="windowStart"/>, <paramref name="windowEnd"/>)
    /// from the facts of the seller's orders (any superset of the authorized orders
    /// purchased or counted in the window will do).</summary>
    public static Summary Compute(IEnumerable<OrderFact> ordersOfSeller, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        Compute(ordersOfSeller, otherOrdersInTotal: 0, windowStart, windowEnd);

    /// <summary>As <see cref="Compute(IEnumerable{OrderFact}, DateTimeOffset, DateTimeOffset)"/>,
    /// with <paramref name="otherOrdersInTotal"/> more authorized orders purchased in the
    /// window that are not among <paramref name="ordersOfSeller"/> and have no counting
    /// cancellation in it: a query can count those instead of reading each.</summary>
    public static Summary Compute(
        IEnumerable<OrderFact> ordersOfSeller, int otherOrdersInTotal, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(otherOrdersInTotal);
        ArgumentNullException.ThrowIfNull(ordersOfSeller);
        if (windowEnd <= windowStart)
        {
            throw new ArgumentException("The window must end after it starts.", nameof(windowEnd));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = otherOrdersInTotal;
        var counted = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var order in ordersOfSeller)
        {
            // An order twice would be counted twice: a caller's bug, not something to guess about.
            if (!seen.Add(order.OrderId))
            {
                throw new ArgumentException($"Order '{order.OrderId}' appears twice.", nameof(ordersOfSeller));
            }

            if (IsInTotal(order, windowStart, windowEnd))
            {
                total++;
            }

            if (IsCounted(order, windowStart, windowEnd))
            {
                counted.Add(order.OrderId);
            }
        }

        return new Summary(windowStart, windowEnd, counted.Count, total, BasisPoints(counted.Count, total), counted.ToImmutable());
    }

    /// <summary>The rate before and after one more cancellation of <paramref name="order"/>
    /// at <paramref name="at"/>. It changes only when that cancellation counts, the order
    /// reached payment authorization, <paramref name="at"/> is in the window and the order
    /// is not counted already (an order counts once); an order purchased before the window
    /// then joins the total as well. <paramref name="order"/> is the order as it was before
    /// this cancellation, and <paramref name="before"/> must have been computed with it.</summary>
    public static RateImpact Impact(Summary before, OrderFact order, bool thisCancellationCounts, DateTimeOffset at)
    {
        var after = After(before, order, thisCancellationCounts, at);
        return new RateImpact(thisCancellationCounts, before.RateBasisPoints, after.RateBasisPoints,
            CrossesTarget: before.TargetMet && !after.TargetMet);
    }

    /// <summary>Whether <paramref name="summary"/> can have been computed with
    /// <paramref name="order"/> as given: the order counts in it exactly when its fact says
    /// so, and an order in the total that does not count leaves room for it there. A summary
    /// carried from earlier work (a feed's running rate) is used for an order only when this
    /// holds; otherwise the order changed meanwhile and the rate is read again.</summary>
    public static bool Agrees(Summary summary, OrderFact order)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(order);
        var counted = IsCounted(order, summary.WindowStart, summary.WindowEnd);
        return counted == summary.CountedOrderIds.Contains(order.OrderId)
            && !(IsInTotal(order, summary.WindowStart, summary.WindowEnd) && !counted && summary.TotalOrders - summary.CountedCancellations < 1);
    }

    /// <summary>The summary once the cancellation <see cref="Impact"/> describes has
    /// happened, over the same window: what the next cancellation of a feed is judged
    /// against.</summary>
    public static Summary After(Summary before, OrderFact order, bool thisCancellationCounts, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(order);

        var countedIds = before.CountedOrderIds as ImmutableSortedSet<string> is { } set && set.KeyComparer == StringComparer.Ordinal
            ? set
            : before.CountedOrderIds.ToImmutableSortedSet(StringComparer.Ordinal);
        var alreadyCounted = IsCounted(order, before.WindowStart, before.WindowEnd);
        var inTotal = IsInTotal(order, before.WindowStart, before.WindowEnd);

        // The summary must have been computed with this very fact; otherwise the numbers
        // below would be off by one without anyone noticing.
        if (!Agrees(before, order))
        {
            throw new ArgumentException($"The summary was not computed with order '{order.OrderId}' as given.", nameof(before));
        }

        if (!thisCancellationCounts || !order.PaymentAuthorized || alreadyCounted || !InWindow(at, before.WindowStart, before.WindowEnd))
        {
            return before;
        }

        var counted = before.CountedCancellations + 1;
        var total = before.TotalOrders + (inTotal ? 0 : 1);
        return before with
        {
            CountedCancellations = counted,
            TotalOrders = total,
            RateBasisPoints = BasisPoints(counted, total),
            CountedOrderIds = countedIds.Add(order.OrderId),
        };
    }

    /// <summary>counted / total in basis points, rounded half up; 0 for no orders.</summary>
    public static int BasisPoints(int counted, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counted);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counted, total);
        return total == 0 ? 0 : (int)((counted * 20_000L + total) / (2L * total));
    }

    /// <summary>An authorized order with a counting cancellation in the window.</summary>
    private static bool IsCounted(OrderFact order, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        order.PaymentAuthorized && order.CountedCancellationTimes.Any(at => InWindow(at, windowStart, windowEnd));

    /// <summary>An authorized order purchased in the window, or counted in it.</summary>
    private static bool IsInTotal(OrderFact order, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        order.PaymentAuthorized && (InWindow(order.PurchasedAt, windowStart, windowEnd) || IsCounted(order, windowStart, windowEnd));

    private static bool InWindow(DateTimeOffset instant, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        instant >= windowStart && instant < windowEnd;
}
