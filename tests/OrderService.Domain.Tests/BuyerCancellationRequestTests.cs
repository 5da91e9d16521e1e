namespace OrderService.Domain.Tests;

public sealed class BuyerCancellationRequestTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    [Fact]
    public void R13_R17_a_pending_order_is_canceled_at_once_by_the_marketplace_and_does_not_count()
    {
        var order = TestOrders.In(OrderStatus.Pending);
        order.ClearPendingEvents();
        var version = order.Version;
        var at = Now.AddMinutes(30);

        var outcome = order.RequestCancellationByBuyer("Changed my mind", at);

        var expected = new CancellationAttribution(CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial,
            CancellationExecutor.Marketplace, false, at, null);
        Assert.Equal(BuyerCancellationOutcome.CanceledByMarketplace, outcome);
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.Equal(expected, order.Cancellation?.Attribution);
        Assert.All(order.Items, item => Assert.Equal(item.QuantityOrdered, item.QuantityCanceled));
        var record = Assert.Single(order.Cancellations);
        Assert.True(record.WholeOrder);
        Assert.Equal(expected, record.Attribution);
        Assert.False(order.HasCountedCancellation);
        Assert.Equal(new BuyerCancellationRequest("Changed my mind", at), order.BuyerCancellationRequest);
        Assert.Equal(version + 1, order.Version);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.OrderCanceled, orderEvent.Type);
        Assert.Equal(expected, orderEvent.Cancellation);
    }

    [Theory]
    [InlineData(OrderStatus.Unshipped)]
    [InlineData(OrderStatus.PartiallyShipped)]
    public void R13_the_request_is_put_on_the_order_for_the_seller_and_the_status_stays(OrderStatus status)
    {
        var order = TestOrders.In(status);
        order.ClearPendingEvents();
        var version = order.Version;
        var quantities = order.Items.Select(i => (i.QuantityShipped, i.QuantityCanceled)).ToList();
        var at = Now.AddMinutes(30);

        var outcome = order.RequestCancellationByBuyer("Found it cheaper", at);

        Assert.Equal(BuyerCancellationOutcome.RequestRecorded, outcome);
        Assert.Equal(status, order.Status);
        Assert.Equal(new BuyerCancellationRequest("Found it cheaper", at), order.BuyerCancellationRequest);
        Assert.Equal(quantities, order.Items.Select(i => (i.QuantityShipped, i.QuantityCanceled)).ToList());
        Assert.Empty(order.Cancellations);
        Assert.Null(order.Cancellation);
        Assert.Equal(version + 1, order.Version);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.BuyerCancellationRequested, orderEvent.Type);
        Assert.Null(orderEvent.Cancellation);
    }

    [Fact]
    public void R13_a_second_request_while_one_is_open_is_refused_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.RequestCancellationByBuyer("Again", Now.AddHours(1)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("CANCELLATION_ALREADY_REQUESTED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
        Assert.Equal(TestOrders.BuyerReason, order.BuyerCancellationRequest?.Reason);
    }

    [Theory]
    [InlineData(OrderStatus.Shipped, "ORDER_SHIPPED", "T3")]   // R12
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED", "T5")] // R16
    public void R12_R16_a_shipped_or_canceled_order_cannot_be_requested_for_cancellation(OrderStatus status, string reason, string template)
    {
        var order = TestOrders.In(status);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.RequestCancellationByBuyer("Too late?", Now));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(reason, refusal.Reason);
        Assert.Equal(template, refusal.Metadata["reply_template"]);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void R13_the_buyer_must_give_a_reason(string reason)
    {
        var order = TestOrders.In(OrderStatus.Pending);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.RequestCancellationByBuyer(reason, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("reason", refusal.Field);
        Assert.Equal("REASON_REQUIRED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Fact]
    public void R13_shipping_an_order_the_buyer_asked_to_cancel_needs_an_acknowledgement()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("B", 1)], "Yamato", "T-1", Now, false, Now));

        Assert.Equal("BUYER_CANCELLATION_REQUESTED", refusal.Reason);
        Assert.Equal(TestOrders.BuyerReason, refusal.Metadata["buyer_cancellation_reason"]);
        Assert.Equal(before, TestOrders.Snapshot(order));

        order.ConfirmShipment([new ItemQuantity("B", 1)], "Yamato", "T-1", Now, true, Now);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
    }
}
