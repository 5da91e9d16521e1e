using static OrderService.Domain.CancellationMetrics;

namespace OrderService.Domain.Tests;

public sealed class CancellationMetricsTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;
    private static readonly DateTimeOffset WindowStart = Now.AddDays(-7);

    /// <summary><paramref name="total"/> authorized orders in the window, the first
    /// <paramref name="counted"/> of them with a counted cancellation.</summary>
    private static List<OrderFact> Facts(int counted, int total) =>
        Enumerable.Range(0, total)
            .Select(i => new OrderFact($"O-{i:D5}", Now.AddHours(-1), true, i < counted))
            .ToList();

    [Theory]
    [InlineData(1, 3, 3333)]      // 3333.33
    [InlineData(2, 3, 6667)]      // 6666.67
    [InlineData(1, 8, 1250)]
    [InlineData(2, 80, 250)]
    [InlineData(1, 20_000, 1)]    // 0.5 rounds up
    [InlineData(1, 40_000, 0)]    // 0.25 rounds down
    [InlineData(3, 40_000, 1)]    // 0.75 rounds up
    [InlineData(0, 5, 0)]
    [InlineData(5, 5, 10_000)]
    [InlineData(0, 0, 0)]         // no orders: 0, not a division by zero
    public void R17_the_rate_is_in_basis_points_rounded_half_up(int counted, int total, int expected)
    {
        var summary = Compute(Facts(counted, total), WindowStart, Now);

        Assert.Equal(counted, summary.CountedCancellations);
        Assert.Equal(total, summary.TotalOrders);
        Assert.Equal(expected, summary.RateBasisPoints);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(1, 41, true)]          // 243.9 -> 244
    [InlineData(2, 80, false)]         // exactly 2.5 % is not under it
    [InlineData(999, 40_000, false)]   // 249.75 is reported as 250, and judged on what is reported
    [InlineData(1, 1, false)]
    public void R17_the_target_is_met_only_under_250_basis_points(int counted, int total, bool met)
    {
        var summary = Compute(Facts(counted, total), WindowStart, Now);

        Assert.Equal(250, summary.TargetBasisPoints);
        Assert.Equal(met, summary.TargetMet);
    }

    [Fact]
    public void R17_the_rate_over_a_mixed_set_counts_only_the_sellers_cancellations_of_authorized_orders_in_the_window()
    {
        var orders = new List<Order>();
        Order Placed(string id, DateTimeOffset purchasedAt)
        {
            var order = Order.Create(TestOrders.NewOrder(id) with { PurchasedAt = purchasedAt, LatestShipDate = purchasedAt.AddDays(1) }, Now);
            orders.Add(order);
            return order;
        }

        Order Authorized(string id, DateTimeOffset purchasedAt)
        {
            var order = Placed(id, purchasedAt);
            order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, purchasedAt.AddMinutes(1));
            return order;
        }

        var inWindow = Now.AddDays(-3);

        // R14: official request, canceled with BuyerCanceled: in the total, not counted.
        var official = Authorized("official", inWindow);
        official.RequestCancellationByBuyer("mistake", inWindow);
        official.CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.Seller, null, inWindow);

        // Official request but another reason: counted.
        var officialOtherReason = Authorized("official-other-reason", inWindow);
        officialOtherReason.RequestCancellationByBuyer("mistake", inWindow);
        officialOtherReason.CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, inWindow);

        // R15: unofficial (message) request: counted whatever the reason.
        Authorized("unofficial", inWindow).CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, null, inWindow);

        // R10: the seller's own cancellation: counted.
        Authorized("seller", inWindow).CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, inWindow);

        // R5: auto-cancel, whole order and the unshipped rest: both counted.
        var autoWhole = Authorized("auto-whole", inWindow);
        autoWhole.AutoCancelForMissedShipDate(autoWhole.LatestShipDate.AddDays(7));
        var autoPartial = Authorized("auto-partial", inWindow);
        autoPartial.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", inWindow, false, inWindow);
        autoPartial.AutoCancelForMissedShipDate(autoPartial.LatestShipDate.AddDays(7));

        // R4: the marketplace cancels for payment: never authorized, in neither count.
        var expired = Placed("expired", inWindow);
        expired.ExpireUnauthorizedPayment(inWindow.AddDays(21));

        // The buyer cancels a PENDING order: never authorized, in neither count.
        Placed("buyer-pending", inWindow).RequestCancellationByBuyer("mistake", inWindow);

        // Still PENDING: in neither count.
        Placed("pending", inWindow);

        // Authorized and not canceled: in the total.
        Authorized("unshipped", inWindow);
        var shipped = Authorized("shipped", inWindow);
        shipped.ConfirmShipment([new ItemQuantity("A", 2), new ItemQuantity("B", 1)], "Yamato", "T-1", inWindow, false, inWindow);

        // The window is [start, end): its first instant is in, its end is out, older is out.
        Authorized("at-window-start", WindowStart);
        Authorized("at-window-end", Now).CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, Now);
        Authorized("before-window", WindowStart.AddTicks(-1)).CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        var summary = Compute(orders.Select(OrderFact.Of), WindowStart, Now);

        Assert.Equal(["auto-partial", "auto-whole", "official-other-reason", "seller", "unofficial"], summary.CountedOrderIds);
        Assert.Equal(5, summary.CountedCancellations);
        Assert.Equal(9, summary.TotalOrders);
        Assert.Equal(5556, summary.RateBasisPoints); // 5 / 9 = 55.5556 %
        Assert.False(summary.TargetMet);
        Assert.Equal(WindowStart, summary.WindowStart);
        Assert.Equal(Now, summary.WindowEnd);
    }

    [Fact]
    public void R17_an_order_counts_once_however_many_of_its_cancellations_count()
    {
        var facts = new[] { new OrderFact("A", Now.AddDays(-1), true, true), new OrderFact("B", Now.AddDays(-1), true, false) };

        var summary = Compute(facts, WindowStart, Now);

        Assert.Equal(1, summary.CountedCancellations);
        Assert.Equal(5000, summary.RateBasisPoints);
    }

    [Fact]
    public void R17_the_same_order_given_twice_is_a_mistake_not_two_orders()
    {
        var facts = new[] { new OrderFact("A", Now.AddDays(-1), true, true), new OrderFact("A", Now.AddDays(-1), true, true) };

        Assert.Throws<ArgumentException>(() => Compute(facts, WindowStart, Now));
    }

    [Fact]
    public void R17_an_empty_or_reversed_window_is_a_mistake()
    {
        Assert.Throws<ArgumentException>(() => Compute([], Now, Now));
        Assert.Throws<ArgumentException>(() => Compute([], Now, WindowStart));
    }

    // ---- Impact, for validate_only ----

    [Fact]
    public void R17_a_counted_cancellation_that_takes_the_rate_to_the_target_crosses_it()
    {
        var facts = Facts(1, 80); // 125 bp
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: true);

        Assert.Equal(125, impact.RateBeforeBasisPoints);
        Assert.Equal(250, impact.RateAfterBasisPoints);
        Assert.True(impact.CountsAgainstSellerRate);
        Assert.True(impact.CrossesTarget);
        Assert.Equal(250, impact.TargetBasisPoints);
    }

    [Fact]
    public void R17_a_counted_cancellation_that_stays_under_the_target_does_not_cross_it()
    {
        var facts = Facts(0, 80);
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: true);

        Assert.Equal((0, 125), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CrossesTarget);
    }

    [Fact]
    public void R17_a_rate_already_over_the_target_does_not_cross_it_again()
    {
        var facts = Facts(3, 80); // 375 bp
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: true);

        Assert.Equal((375, 500), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CrossesTarget);
    }

    [Fact]
    public void R14_a_cancellation_that_does_not_count_leaves_the_rate_as_it_is()
    {
        var facts = Facts(1, 80);
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: false);

        Assert.Equal((125, 125), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CountsAgainstSellerRate);
        Assert.False(impact.CrossesTarget);
    }

    [Fact]
    public void R17_an_order_already_counted_or_outside_the_window_leaves_the_rate_as_it_is()
    {
        var facts = Facts(1, 80);
        var before = Compute(facts, WindowStart, Now);

        var alreadyCounted = Impact(before, facts[0], thisCancellationCounts: true);
        var older = Impact(before, new OrderFact("OLD", WindowStart.AddDays(-1), true, false), thisCancellationCounts: true);
        var neverAuthorized = Impact(before, new OrderFact("P", Now.AddHours(-1), false, false), thisCancellationCounts: true);

        Assert.All([alreadyCounted, older, neverAuthorized], impact =>
        {
            Assert.Equal(125, impact.RateAfterBasisPoints);
            Assert.False(impact.CrossesTarget);
        });
    }

    [Fact]
    public void R14_R17_validate_only_shows_the_impact_of_the_cancellation_it_previews()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);
        var others = Facts(1, 79).Append(OrderFact.Of(order)).ToList(); // 1 / 80 = 125 bp
        var before = Compute(others, WindowStart, Now);

        var free = order.PreviewSellerCancellation(CancelReason.BuyerCanceled, CancellationRequester.Seller, null, Now);
        var counted = order.PreviewSellerCancellation(CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        Assert.Equal(125, Impact(before, OrderFact.Of(order), free.CountsAgainstSellerRate).RateAfterBasisPoints);
        Assert.True(Impact(before, OrderFact.Of(order), counted.CountsAgainstSellerRate).CrossesTarget);
    }

    [Fact]
    public void R17_an_impact_against_a_summary_that_left_the_order_out_is_a_mistake()
    {
        var before = Compute([], WindowStart, Now);

        Assert.Throws<ArgumentException>(() =>
            Impact(before, new OrderFact("X", Now.AddHours(-1), true, false), thisCancellationCounts: true));
    }
}
