namespace OrderService.Domain.Tests;

public sealed class AutomaticCancellationTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    // ---- R4: payment not authorized within 21 days ----

    [Fact]
    public void R4_a_pending_order_is_due_for_expiry_exactly_21_days_after_purchase()
    {
        var order = TestOrders.In(OrderStatus.Pending);
        var due = order.PurchasedAt.AddDays(21);

        Assert.False(order.IsPaymentExpired(due.AddTicks(-1)));
        Assert.True(order.IsPaymentExpired(due));
        Assert.False(TestOrders.In(OrderStatus.Unshipped).IsPaymentExpired(due.AddDays(100)));
    }

    [Fact]
    public void R4_R17_the_marketplace_cancels_an_unauthorized_order_and_it_does_not_count()
    {
        var order = TestOrders.In(OrderStatus.Pending);
        order.ClearPendingEvents();
        var version = order.Version;
        var at = order.PurchasedAt.AddDays(21);

        order.ExpireUnauthorizedPayment(at);

        var expected = new CancellationAttribution(CancelReason.PaymentNotAuthorized, CancellationRequester.Marketplace,
            CancellationExecutor.Marketplace, false, at, null);
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.Equal(expected, order.Cancellation?.Attribution);
        Assert.All(order.Items, item => Assert.Equal(item.QuantityOrdered, item.QuantityCanceled));
        var record = Assert.Single(order.Cancellations);
        Assert.True(record.WholeOrder);
        Assert.Equal(expected, record.Attribution);
        Assert.False(order.HasCountedCancellation);
        Assert.Equal(version + 1, order.Version);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.OrderCanceled, orderEvent.Type);
        Assert.Equal(expected, orderEvent.Cancellation);
    }

    [Fact]
    public void R4_expiry_before_21_days_is_refused_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.Pending);
        var before = TestOrders.Snapshot(order);
        var due = order.PurchasedAt.AddDays(21);

        var refusal = Assert.Throws<DomainException>(() => order.ExpireUnauthorizedPayment(due.AddSeconds(-1)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("NOT_DUE", refusal.Reason);
        Assert.Equal(due, DateTimeOffset.Parse(refusal.Metadata["due_at"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(OrderStatus.Unshipped, "PAYMENT_ALREADY_AUTHORIZED")]
    [InlineData(OrderStatus.PartiallyShipped, "PAYMENT_ALREADY_AUTHORIZED")]
    [InlineData(OrderStatus.Shipped, "PAYMENT_ALREADY_AUTHORIZED")]
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")]
    public void R4_only_a_pending_order_expires(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.ExpireUnauthorizedPayment(Now.AddDays(60)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(reason, refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    // ---- R5: units unshipped 7 days after the latest ship date ----

    [Theory]
    [InlineData(OrderStatus.Unshipped)]
    [InlineData(OrderStatus.PartiallyShipped)]
    public void R5_units_are_due_for_auto_cancel_exactly_7_days_after_the_latest_ship_date(OrderStatus status)
    {
        var order = TestOrders.In(status);
        var due = order.LatestShipDate.AddDays(7);

        Assert.False(order.IsShipDateMissed(due.AddTicks(-1)));
        Assert.True(order.IsShipDateMissed(due));
    }

    [Theory]
    [InlineData(OrderStatus.Pending)]
    [InlineData(OrderStatus.Shipped)]
    [InlineData(OrderStatus.Canceled)]
    public void R5_nothing_is_due_for_auto_cancel_without_authorized_unshipped_units(OrderStatus status)
    {
        var order = TestOrders.In(status);

        Assert.False(order.IsShipDateMissed(Now.AddDays(100)));
    }

    [Fact]
    public void R5_R17_an_unshipped_order_is_auto_canceled_and_it_counts_against_the_seller()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        order.ClearPendingEvents();
        var version = order.Version;
        var at = order.LatestShipDate.AddDays(7);

        order.AutoCancelForMissedShipDate(at);

        var expected = new CancellationAttribution(CancelReason.ShipDateMissed, CancellationRequester.Marketplace,
            CancellationExecutor.Automatic, true, at, null);
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.Equal(expected, order.Cancellation?.Attribution);
        Assert.All(order.Items, item => Assert.Equal(item.QuantityOrdered, item.QuantityCanceled));
        var record = Assert.Single(order.Cancellations);
        Assert.True(record.WholeOrder);
        Assert.Equal([new CancellationLine("A", 2), new CancellationLine("B", 1)], record.Lines);
        Assert.True(order.HasCountedCancellation);
        Assert.Equal(version + 1, order.Version);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.OrderCanceled, orderEvent.Type);
        Assert.Equal(expected, orderEvent.Cancellation);
    }

    [Fact]
    public void R5_a_partially_shipped_order_loses_its_unshipped_rest_and_becomes_shipped()
    {
        var order = TestOrders.In(OrderStatus.PartiallyShipped); // A: 1 of 2 shipped; B: 0 of 1
        order.ClearPendingEvents();
        var version = order.Version;
        var at = order.LatestShipDate.AddDays(8);

        order.AutoCancelForMissedShipDate(at);

        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Null(order.Cancellation); // the order is not CANCELED: its shipped unit may come back
        Assert.Equal((1, 1), (order.Items[0].QuantityShipped, order.Items[0].QuantityCanceled));
        Assert.Equal((0, 1), (order.Items[1].QuantityShipped, order.Items[1].QuantityCanceled));
        Assert.Null(order.AutoCancelAt);
        var record = Assert.Single(order.Cancellations);
        Assert.False(record.WholeOrder);
        Assert.Equal([new CancellationLine("A", 1), new CancellationLine("B", 1)], record.Lines);
        Assert.Equal(CancelReason.ShipDateMissed, record.Reason);
        Assert.True(order.HasCountedCancellation);
        Assert.Equal(version + 1, order.Version);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.ItemsCanceled, orderEvent.Type);
        Assert.Equal(record.Attribution, orderEvent.Cancellation);
    }

    [Fact]
    public void R5_R14_a_missed_ship_date_counts_even_when_the_buyer_had_asked_to_cancel()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);

        order.AutoCancelForMissedShipDate(order.LatestShipDate.AddDays(7));

        Assert.Equal(CancellationRequester.Marketplace, order.Cancellation?.Requester);
        Assert.True(order.HasCountedCancellation);
    }

    [Fact]
    public void R5_auto_cancel_before_it_is_due_is_refused_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.PartiallyShipped);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.AutoCancelForMissedShipDate(order.LatestShipDate.AddDays(7).AddTicks(-1)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("NOT_DUE", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING")]
    [InlineData(OrderStatus.Shipped, "ORDER_SHIPPED")]
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")]
    public void R5_only_unshipped_units_are_auto_canceled(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.AutoCancelForMissedShipDate(Now.AddDays(100)));

        Assert.Equal(reason, refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    // ---- R5: the warning before the auto-cancel ----

    [Theory]
    [InlineData(OrderStatus.Unshipped)]
    [InlineData(OrderStatus.PartiallyShipped)]
    public void R5_the_warning_is_due_the_lead_time_before_the_auto_cancel(OrderStatus status)
    {
        var order = TestOrders.In(status);

        Assert.Equal(order.AutoCancelAt - TimeSpan.FromDays(2), order.AutoCancelWarningDueAt(TimeSpan.FromDays(2)));
        Assert.Equal(order.LatestShipDate.AddDays(6), order.AutoCancelWarningDueAt(TimeSpan.FromDays(1)));
    }

    [Theory]
    [InlineData(OrderStatus.Pending)]
    [InlineData(OrderStatus.Shipped)]
    [InlineData(OrderStatus.Canceled)]
    public void R5_no_warning_is_due_without_units_waiting_for_their_ship_date(OrderStatus status)
    {
        Assert.Null(TestOrders.In(status).AutoCancelWarningDueAt(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void R5_the_warning_needs_a_positive_lead_time()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        Assert.Throws<ArgumentOutOfRangeException>(() => order.AutoCancelWarningDueAt(TimeSpan.Zero));
    }

    [Fact]
    public void R5_the_seller_is_warned_once()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        order.ClearPendingEvents();
        var version = order.Version;
        var at = order.LatestShipDate.AddDays(6);

        order.WarnOfAutoCancel(at);

        Assert.Equal(at, order.AutoCancelWarnedAt);
        Assert.Equal(OrderStatus.Unshipped, order.Status);
        Assert.Equal(version + 1, order.Version);
        Assert.Equal(OrderEventType.AutoCancelWarning, Assert.Single(order.PendingEvents).Type);
        Assert.Null(order.AutoCancelWarningDueAt(TimeSpan.FromDays(1)));

        var before = TestOrders.Snapshot(order);
        var refusal = Assert.Throws<DomainException>(() => order.WarnOfAutoCancel(at.AddHours(1)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("ALREADY_WARNED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING")]
    [InlineData(OrderStatus.Shipped, "ORDER_SHIPPED")]
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")]
    public void R5_there_is_no_warning_where_there_is_no_auto_cancel(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.WarnOfAutoCancel(Now.AddDays(8)));

        Assert.Equal(reason, refusal.Reason);
        Assert.Null(order.AutoCancelWarnedAt);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }
}
