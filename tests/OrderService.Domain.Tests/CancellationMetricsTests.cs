using static OrderService.Domain.CancellationRate;

namespace OrderService.Domain.Tests;

/// <summary>R17 over [start, end): counted are the authorized orders with a cancellation
/// that counts against the seller made in the window; the total is the authorized orders
/// purchased in the window plus the counted ones purchased before it.</summary>
public sealed class CancellationMetricsTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;
    private static readonly DateTimeOffset WindowStart = Now.AddDays(-7);

    /// <summary>A cancellation made now, inside [WindowStart, Now).</summary>
    private static readonly DateTimeOffset At = Now.AddMinutes(-1);

    private static readonly DateTimeOffset[] NotCanceled = [];

    /// <summary><paramref name="total"/> authorized orders purchased in the window, the first
    /// <paramref name="counted"/> of them with a counted cancellation in it.</summary>
    private static List<OrderFact> Facts(int counted, int total) =>
        Enumerable.Range(0, total)
            .Select(i => new OrderFact($"O-{i:D5}", Now.AddHours(-1), true, i < counted ? [Now.AddMinutes(-30)] : NotCanceled))
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
    [InlineData(999, 40_000, true)]    // 249.75: reported as 250, yet under 2.5 % and so met
    [InlineData(1_000, 40_000, false)] // exactly 250
    [InlineData(1, 1, false)]
    public void R17_the_target_is_met_only_when_the_exact_rate_is_under_2_5_percent(int counted, int total, bool met)
    {
        var summary = Compute(Facts(counted, total), WindowStart, Now);

        Assert.Equal(250, summary.TargetBasisPoints);
        Assert.Equal(met, summary.TargetMet);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 40)]
    [InlineData(3, 500)]
    public void R17_orders_counted_by_a_query_weigh_in_the_total_as_if_each_were_read(int counted, int total)
    {
        var facts = Facts(counted, total);

        var read = Compute(facts, WindowStart, Now);
        var countedOnly = Compute(facts.Take(counted), otherOrdersInTotal: total - counted, WindowStart, Now);

        Assert.Equal(read, countedOnly with { CountedOrderIds = read.CountedOrderIds });
        Assert.Equal(read.CountedOrderIds, countedOnly.CountedOrderIds);
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute(facts, otherOrdersInTotal: -1, WindowStart, Now));
    }

    [Fact]
    public void R17_the_rate_over_a_mixed_set_counts_the_sellers_cancellations_made_in_the_window()
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

        // R5: auto-cancel, whole order and the unshipped rest, 2 days ago, of orders
        // purchased 10 days ago (an R5 cancellation always comes 7 days or more after the
        // purchase): both counted, and so both in the total.
        var autoWhole = Authorized("auto-whole", Now.AddDays(-10));
        autoWhole.AutoCancelForMissedShipDate(Now.AddDays(-2));
        var autoPartial = Authorized("auto-partial", Now.AddDays(-10));
        autoPartial.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", Now.AddDays(-10), false, Now.AddDays(-10));
        autoPartial.AutoCancelForMissedShipDate(Now.AddDays(-2));

        // R4: the marketplace cancels for payment: never authorized, in neither count.
        var expired = Placed("expired", Now.AddDays(-22));
        expired.ExpireUnauthorizedPayment(Now.AddDays(-1));

        // The buyer cancels a PENDING order: never authorized, in neither count.
        Placed("buyer-pending", inWindow).RequestCancellationByBuyer("mistake", inWindow);

        // Still PENDING: in neither count.
        Placed("pending", inWindow);

        // Authorized and not canceled: in the total.
        Authorized("unshipped", inWindow);
        var shipped = Authorized("shipped", inWindow);
        shipped.ConfirmShipment([new ItemQuantity("A", 2), new ItemQuantity("B", 1)], "Yamato", "T-1", inWindow, false, inWindow);

        // Purchased before the window: in neither count unless a counting cancellation of it
        // falls in the window. The window is [start, end): its first instant is in, its end
        // is out.
        Authorized("at-window-start", WindowStart);
        Authorized("at-window-end", Now).CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, Now);
        Authorized("old-canceled-at-window-start", WindowStart.AddDays(-1))
            .CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, WindowStart);
        Authorized("old-canceled-before-window", WindowStart.AddDays(-1))
            .CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, WindowStart.AddTicks(-1));
        Authorized("old-not-canceled", WindowStart.AddTicks(-1));
        var oldOfficial = Authorized("old-official", Now.AddDays(-10));
        oldOfficial.RequestCancellationByBuyer("mistake", inWindow);
        oldOfficial.CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.Seller, null, inWindow);

        var summary = Compute(orders.Select(OrderFact.Of), WindowStart, Now);

        Assert.Equal(["auto-partial", "auto-whole", "official-other-reason", "old-canceled-at-window-start", "seller", "unofficial"], summary.CountedOrderIds);
        Assert.Equal(6, summary.CountedCancellations);
        // official, official-other-reason, unofficial, seller, unshipped, shipped,
        // at-window-start purchased in it; auto-whole, auto-partial and
        // old-canceled-at-window-start counted in it.
        Assert.Equal(10, summary.TotalOrders);
        Assert.Equal(6000, summary.RateBasisPoints);
        Assert.False(summary.TargetMet);
        Assert.Equal(WindowStart, summary.WindowStart);
        Assert.Equal(Now, summary.WindowEnd);
    }

    [Fact]
    public void R5_R17_an_auto_cancellation_counts_in_the_seven_days_after_it()
    {
        var order = TestOrders.In(OrderStatus.Unshipped); // purchased an hour before Now, to ship within 2 days
        var due = order.LatestShipDate + Order.AutoCancelGrace;
        order.AutoCancelForMissedShipDate(due);

        var (start, end) = WindowThrough(due.AddMinutes(5));
        var summary = Compute([OrderFact.Of(order)], start, end);

        Assert.Equal((1, 1), (summary.CountedCancellations, summary.TotalOrders));
        Assert.Equal([order.Id], summary.CountedOrderIds);
    }

    [Fact]
    public void R17_an_order_canceled_in_the_window_counts_once_whenever_it_was_purchased()
    {
        // Purchased 10 days ago, canceled now: counted, and in the total although its
        // purchase is older than the window (otherwise old orders would cancel for free).
        var old = new OrderFact("OLD", Now.AddDays(-10), true, [At]);
        // Two counting cancellations in the window (R5 on the rest, then R21): counted once.
        var twice = new OrderFact("TWICE", Now.AddDays(-9), true, [Now.AddDays(-2), Now.AddDays(-1)]);
        // Canceled 8 days ago, purchased 9 days ago: in neither count.
        var longAgo = new OrderFact("LONG-AGO", Now.AddDays(-9), true, [Now.AddDays(-8)]);
        // A counting cancellation before the window and one in it: counted (the second).
        var again = new OrderFact("AGAIN", Now.AddDays(-20), true, [Now.AddDays(-10), Now.AddDays(-1)]);
        // Never authorized: in neither count, whatever it says.
        var pending = new OrderFact("PENDING", Now.AddDays(-1), false, [At]);

        var summary = Compute([old, twice, longAgo, again, pending, .. Facts(0, 4)], WindowStart, Now);

        Assert.Equal(["AGAIN", "OLD", "TWICE"], summary.CountedOrderIds);
        Assert.Equal(3, summary.CountedCancellations);
        Assert.Equal(7, summary.TotalOrders); // the 4 purchased in the window and the 3 counted
        Assert.Equal(4286, summary.RateBasisPoints);
    }

    [Fact]
    public void R17_the_rate_never_exceeds_one_hundred_percent()
    {
        var facts = new[]
        {
            new OrderFact("A", Now.AddDays(-30), true, [Now.AddDays(-1)]),
            new OrderFact("B", Now.AddDays(-1), true, [Now.AddHours(-1), Now.AddMinutes(-1)]),
        };

        var summary = Compute(facts, WindowStart, Now);

        Assert.Equal((2, 2, 10_000), (summary.CountedCancellations, summary.TotalOrders, summary.RateBasisPoints));
    }

    [Fact]
    public void R17_the_same_order_given_twice_is_a_mistake_not_two_orders()
    {
        var facts = new[] { new OrderFact("A", Now.AddDays(-1), true, [At]), new OrderFact("A", Now.AddDays(-1), true, [At]) };

        Assert.Throws<ArgumentException>(() => Compute(facts, WindowStart, Now));
    }

    [Fact]
    public void R17_an_empty_or_reversed_window_is_a_mistake()
    {
        Assert.Throws<ArgumentException>(() => Compute([], Now, Now));
        Assert.Throws<ArgumentException>(() => Compute([], Now, WindowStart));
    }

    [Fact]
    public void R17_the_window_of_a_cancellation_is_the_seven_days_up_to_and_including_it()
    {
        var (start, end) = WindowThrough(Now);

        Assert.Equal(Now.AddTicks(1), end);
        Assert.Equal(TimeSpan.FromDays(7), end - start);
        var summary = Compute([new OrderFact("A", Now.AddDays(-30), true, [Now])], start, end);
        Assert.Equal(1, summary.CountedCancellations);
    }

    // ---- Impact, for validate_only and the feed ----

    [Fact]
    public void R17_a_counted_cancellation_that_takes_the_rate_to_the_target_crosses_it()
    {
        var facts = Facts(1, 80); // 125 bp
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: true, At);

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

        var impact = Impact(before, facts[^1], thisCancellationCounts: true, At);

        Assert.Equal((0, 125), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CrossesTarget);
    }

    [Fact]
    public void R17_a_rate_already_over_the_target_does_not_cross_it_again()
    {
        var facts = Facts(3, 80); // 375 bp
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: true, At);

        Assert.Equal((375, 500), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CrossesTarget);
    }

    [Fact]
    public void R14_a_cancellation_that_does_not_count_leaves_the_rate_as_it_is()
    {
        var facts = Facts(1, 80);
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, facts[^1], thisCancellationCounts: false, At);

        Assert.Equal((125, 125), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints));
        Assert.False(impact.CountsAgainstSellerRate);
        Assert.False(impact.CrossesTarget);
        Assert.Same(before, After(before, facts[^1], thisCancellationCounts: false, At));
    }

    [Fact]
    public void R17_an_order_purchased_before_the_window_and_canceled_now_is_counted_and_joins_the_total()
    {
        var old = new OrderFact("OLD", Now.AddDays(-10), true, NotCanceled);
        var facts = Facts(0, 40).Append(old).ToList();
        var before = Compute(facts, WindowStart, Now);

        var impact = Impact(before, old, thisCancellationCounts: true, At);
        var after = After(before, old, thisCancellationCounts: true, At);

        Assert.Equal((0, 40), (before.CountedCancellations, before.TotalOrders));
        Assert.Equal((0, 244), (impact.RateBeforeBasisPoints, impact.RateAfterBasisPoints)); // 1 / 41
        Assert.False(impact.CrossesTarget);
        Assert.Equal((1, 41, 244), (after.CountedCancellations, after.TotalOrders, after.RateBasisPoints));
        Assert.Equal(["OLD"], after.CountedOrderIds);

        // The same as computing the window again with the cancellation made.
        var recomputed = Compute(facts.Select(f => f.OrderId == "OLD" ? f with { CountedCancellationTimes = [At] } : f), WindowStart, Now);
        Assert.Equal((recomputed.CountedCancellations, recomputed.TotalOrders, recomputed.RateBasisPoints), (after.CountedCancellations, after.TotalOrders, after.RateBasisPoints));
        Assert.Equal(recomputed.CountedOrderIds, after.CountedOrderIds);
    }

    [Fact]
    public void R17_an_order_already_counted_a_cancellation_outside_the_window_or_a_pending_order_leave_the_rate_as_it_is()
    {
        var facts = Facts(1, 80);
        var pending = new OrderFact("P", Now.AddHours(-1), false, NotCanceled);
        var before = Compute(facts.Append(pending), WindowStart, Now);

        var alreadyCounted = Impact(before, facts[0], thisCancellationCounts: true, At);
        var atWindowEnd = Impact(before, facts[^1], thisCancellationCounts: true, Now);
        var beforeWindow = Impact(before, facts[^1], thisCancellationCounts: true, WindowStart.AddTicks(-1));
        var neverAuthorized = Impact(before, pending, thisCancellationCounts: true, At);

        Assert.All([alreadyCounted, atWindowEnd, beforeWindow, neverAuthorized], impact =>
        {
            Assert.Equal(125, impact.RateAfterBasisPoints);
            Assert.False(impact.CrossesTarget);
        });
    }

    [Fact]
    public void R17_an_order_counted_before_the_window_counts_again_for_a_new_cancellation_in_it()
    {
        // R5 canceled the unshipped rest 10 days ago; a counted cancellation now counts.
        var order = new OrderFact("AGAIN", Now.AddDays(-20), true, [Now.AddDays(-10)]);
        var before = Compute(Facts(0, 3).Append(order), WindowStart, Now);

        var after = After(before, order, thisCancellationCounts: true, At);

        Assert.Equal((0, 3), (before.CountedCancellations, before.TotalOrders));
        Assert.Equal((1, 4, 2500), (after.CountedCancellations, after.TotalOrders, after.RateBasisPoints));
    }

    [Fact]
    public void R17_successive_cancellations_move_the_rate_one_after_the_other()
    {
        // The feed: 40 authorized orders, two lines canceling two of them.
        var facts = Facts(0, 40);
        var rate = Compute(facts, WindowStart, Now);

        var first = Impact(rate, facts[0], thisCancellationCounts: true, At);
        rate = After(rate, facts[0], thisCancellationCounts: true, At);
        var second = Impact(rate, facts[1], thisCancellationCounts: true, At);
        rate = After(rate, facts[1], thisCancellationCounts: true, At);

        Assert.Equal((0, 250, true), (first.RateBeforeBasisPoints, first.RateAfterBasisPoints, first.CrossesTarget));
        Assert.Equal((250, 500, false), (second.RateBeforeBasisPoints, second.RateAfterBasisPoints, second.CrossesTarget));
        Assert.Equal(["O-00000", "O-00001"], rate.CountedOrderIds);
        Assert.Equal((2, 40), (rate.CountedCancellations, rate.TotalOrders));
    }

    [Fact]
    public void R17_a_carried_rate_agrees_with_the_orders_it_was_computed_with_and_not_with_one_canceled_since()
    {
        // A feed carries its rate from chunk to chunk: it may start a chunk from it only
        // when the chunk's orders are still as the rate saw them.
        var facts = Facts(1, 40);
        var rate = Compute(facts, WindowStart, Now);
        rate = After(rate, facts[1], thisCancellationCounts: true, At);
        var canceledByAnotherRequest = facts[2] with { CountedCancellationTimes = [At] };
        var countedButReopened = facts[0] with { CountedCancellationTimes = [] };

        Assert.All(facts.Skip(2), fact => Assert.True(Agrees(rate, fact)));
        Assert.True(Agrees(rate, facts[1] with { CountedCancellationTimes = [At] }));
        Assert.False(Agrees(rate, canceledByAnotherRequest));
        Assert.False(Agrees(rate, countedButReopened));
        Assert.Throws<ArgumentException>(() => After(rate, canceledByAnotherRequest, thisCancellationCounts: true, At));
    }

    [Fact]
    public void R17_a_summary_built_by_hand_with_unsorted_ids_is_accepted()
    {
        var before = new Summary(WindowStart, Now, 2, 4, 5000, ["B", "A"]);

        var after = After(before, new OrderFact("C", Now.AddHours(-1), true, NotCanceled), thisCancellationCounts: true, At);

        Assert.Equal(["A", "B", "C"], after.CountedOrderIds);
        Assert.Equal(7500, after.RateBasisPoints);
    }

    [Fact]
    public void R14_R17_validate_only_shows_the_impact_of_the_cancellation_it_previews()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);
        var others = Facts(1, 79).Append(OrderFact.Of(order)).ToList(); // 1 / 80 = 125 bp
        var before = Compute(others, WindowStart, Now);

        var free = order.PreviewSellerCancellation(CancelReason.BuyerCanceled, CancellationRequester.Seller, null, At);
        var counted = order.PreviewSellerCancellation(CancelReason.NoInventory, CancellationRequester.Seller, null, At);

        Assert.Equal(125, Impact(before, OrderFact.Of(order), free.CountsAgainstSellerRate, free.CanceledAt).RateAfterBasisPoints);
        Assert.True(Impact(before, OrderFact.Of(order), counted.CountsAgainstSellerRate, counted.CanceledAt).CrossesTarget);
    }

    [Fact]
    public void R17_OrderFact_Of_lists_the_times_of_the_counting_cancellations_only()
    {
        var counted = TestOrders.In(OrderStatus.Canceled);
        var free = TestOrders.In(OrderStatus.Canceled, buyerRequested: true);
        var open = TestOrders.In(OrderStatus.Unshipped);

        Assert.Equal([TestOrders.Now], OrderFact.Of(counted).CountedCancellationTimes);
        Assert.Empty(OrderFact.Of(free).CountedCancellationTimes);
        Assert.Empty(OrderFact.Of(open).CountedCancellationTimes);
        Assert.True(OrderFact.Of(open).PaymentAuthorized);
    }

    [Fact]
    public void R17_an_impact_against_a_summary_computed_without_the_order_is_a_mistake()
    {
        var empty = Compute([], WindowStart, Now);
        var counted = new OrderFact("X", Now.AddHours(-1), true, [Now.AddMinutes(-30)]);
        var uncounted = Compute([counted with { CountedCancellationTimes = NotCanceled }], WindowStart, Now);

        Assert.Throws<ArgumentException>(() =>
            Impact(empty, new OrderFact("X", Now.AddHours(-1), true, NotCanceled), thisCancellationCounts: true, At));
        Assert.Throws<ArgumentException>(() => Impact(uncounted, counted, thisCancellationCounts: true, At));
    }
}
