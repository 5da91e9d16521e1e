using static OrderService.Domain.Tests.RefundOrders;

namespace OrderService.Domain.Tests;

public sealed class AddressChangeTests
{
    public static TheoryData<OrderStatus, AddressChangeOutcome, ReplyTemplateId?> Paths => new()
    {
        { OrderStatus.Pending, AddressChangeOutcome.ContactCustomerService, ReplyTemplateId.T2PendingContactCustomerService }, // R2
        { OrderStatus.Unshipped, AddressChangeOutcome.CancelAndReorder, ReplyTemplateId.T4CancelAndReorder },                 // R41
        { OrderStatus.PartiallyShipped, AddressChangeOutcome.CarrierReturn, ReplyTemplateId.T6CarrierReturn },                // R42
        { OrderStatus.Shipped, AddressChangeOutcome.CarrierReturn, ReplyTemplateId.T6CarrierReturn },                         // R42
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void R40_R41_R42_the_path_and_reply_depend_only_on_the_status(OrderStatus status, AddressChangeOutcome outcome, ReplyTemplateId? template)
    {
        var decision = AddressChange.DecideFor(status);

        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(template, decision.ReplyTemplate);
        Assert.Equal(decision, TestOrders.In(status).DecideAddressChange());
    }

    [Fact]
    public void R16_a_canceled_order_has_no_address_change_path_the_buyer_orders_again()
    {
        var refusal = Assert.Throws<DomainException>(() => AddressChange.DecideFor(OrderStatus.Canceled));

        Assert.Equal((ErrorKind.FailedPrecondition, "ORDER_CANCELED"), (refusal.Kind, refusal.Reason));
        Assert.Equal("T5", refusal.Metadata["reply_template"]);
    }

    [Fact]
    public void R40_the_buyers_request_tells_the_seller_and_never_edits_the_address()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        order.ClearPendingEvents();
        var version = order.Version;

        var decision = order.RequestAddressChange("Moving next week", Now);

        Assert.Equal(AddressChangeOutcome.CancelAndReorder, decision.Outcome);
        Assert.Equal(TestOrders.Address, order.ShippingAddress);
        Assert.Equal(OrderStatus.Unshipped, order.Status);
        Assert.Equal(version + 1, order.Version);
        var requested = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.AddressChangeRequested, requested.Type);
        Assert.Equal([NotificationAudience.Seller], NotificationRouting.AudiencesOf(requested.Type));
    }

    [Fact]
    public void R40_a_request_without_a_reason_is_refused()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.RequestAddressChange(" ", Now));

        Assert.Equal((ErrorKind.InvalidArgument, "REASON_REQUIRED", "reason"), (refusal.Kind, refusal.Reason, refusal.Field));
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(CarrierReturnCause.BuyerCannotReceive)] // R42
    [InlineData(CarrierReturnCause.BuyerNotResponding)] // R43
    public void R42_R43_the_carrier_brings_the_package_back_and_the_refund_keeps_the_return_fee(CarrierReturnCause cause)
    {
        var order = Jpy(("A", 2), ("B", 1));
        order.ClearPendingEvents();

        var request = order.RequestCarrierReturn(cause, "no answer to two messages", Now);

        Assert.True(order.IsCarrierReturnInProgress);
        Assert.Equal(new CarrierReturnRequest(cause, "no answer to two messages", Now), request);
        Assert.Equal(OrderStatus.Shipped, order.Status); // the units are still shipped while they travel back
        Assert.Equal(OrderEventType.CarrierReturnRequested, Assert.Single(order.PendingEvents).Type);

        var at = Now.AddDays(3);
        var refund = order.RecordReturn([new ItemQuantity("A", 2), new ItemQuantity("B", 1)], [ReturnFee(Yen(800))], at);

        Assert.Equal((RefundKind.CarrierReturn, AdjustmentReason.Undeliverable), (refund.Kind, refund.Reason));
        Assert.Equal(Yen(2198 + 600 + 4500 - 800), refund.Total);
        Assert.False(order.IsCarrierReturnInProgress);
        Assert.Equal(request with { ReceivedAt = at, RefundId = refund.Id }, order.CarrierReturn);
        Assert.Equal(0, order.GetRefundableAmounts().TotalRefundable.MinorUnits);
    }

    private static void Refused(Order order, Action act, ErrorKind kind, string reason, string? field)
    {
        var before = TestOrders.Snapshot(order);
        var refusal = Assert.Throws<DomainException>(act);
        Assert.Equal((kind, reason, field), (refusal.Kind, refusal.Reason, refusal.Field));
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Fact]
    public void R42_one_carrier_return_at_a_time_and_only_while_something_is_out()
    {
        var order = Jpy(("A", 1));
        order.RequestCarrierReturn(CarrierReturnCause.BuyerCannotReceive, null, Now);

        Refused(order, () => order.RequestCarrierReturn(CarrierReturnCause.BuyerNotResponding, null, Now),
            ErrorKind.FailedPrecondition, "CARRIER_RETURN_IN_PROGRESS", null);

        order.RecordReturn([new ItemQuantity("A", 1)], [], Now);
        Refused(order, () => order.RequestCarrierReturn(CarrierReturnCause.BuyerNotResponding, null, Now),
            ErrorKind.FailedPrecondition, "NOTHING_TO_RETURN", null);
    }

    [Fact]
    public void R41_R42_a_carrier_return_needs_a_cause_and_a_shipped_package()
    {
        var shipped = Jpy(("A", 1));
        Refused(shipped, () => shipped.RequestCarrierReturn((CarrierReturnCause)0, null, Now), ErrorKind.InvalidArgument, "CAUSE_REQUIRED", "cause");

        var unshipped = TestOrders.In(OrderStatus.Unshipped);
        var refusal = Assert.Throws<DomainException>(() => unshipped.RequestCarrierReturn(CarrierReturnCause.BuyerCannotReceive, null, Now));
        Assert.Equal("ORDER_NOT_SHIPPED", refusal.Reason);
        Assert.Equal("T4", refusal.Metadata["reply_template"]); // R41: cancel and order again
    }
}
