namespace OrderService.Domain.Tests;

public sealed class OrderLifecycleTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    [Fact]
    public void R1_a_new_order_is_pending_without_address_or_contact()
    {
        var order = Order.Create(TestOrders.NewOrder(), Now);

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Null(order.ShippingAddress);
        Assert.Null(order.BuyerContact);
        Assert.Equal(1, order.Version);
        Assert.Equal(OrderEventType.OrderCreated, Assert.Single(order.PendingEvents).Type);
    }

    [Fact]
    public void R4_a_pending_order_shows_when_it_expires_21_days_after_purchase()
    {
        var order = Order.Create(TestOrders.NewOrder(), Now);

        Assert.Equal(order.PurchasedAt.AddDays(21), order.AutoCancelAt);
    }

    [Fact]
    public void R3_authorizing_payment_makes_the_order_unshipped_with_address_and_contact()
    {
        var order = Order.Create(TestOrders.NewOrder(), Now);
        order.ClearPendingEvents();

        order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, Now.AddMinutes(5));

        Assert.Equal(OrderStatus.Unshipped, order.Status);
        Assert.Equal(TestOrders.Address, order.ShippingAddress);
        Assert.Equal(TestOrders.Contact, order.BuyerContact);
        Assert.Equal(Now.AddMinutes(5), order.PaymentAuthorizedAt);
        Assert.Equal(2, order.Version);
        Assert.Equal(OrderEventType.PaymentAuthorized, Assert.Single(order.PendingEvents).Type);
    }

    [Fact]
    public void R5_an_unshipped_order_shows_its_auto_cancel_time_7_days_after_the_latest_ship_date()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        Assert.Equal(order.LatestShipDate.AddDays(7), order.AutoCancelAt);
    }

    [Fact]
    public void Authorizing_twice_is_refused_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var version = order.Version;

        var refusal = Assert.Throws<DomainException>(() => order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, Now));

        Assert.Equal("PAYMENT_ALREADY_AUTHORIZED", refusal.Reason);
        Assert.Equal(version, order.Version);
    }

    [Fact]
    public void R2_a_pending_order_cannot_be_shipped()
    {
        var order = Order.Create(TestOrders.NewOrder(), Now);

        var refusal = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", Now, false, Now));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("ORDER_PENDING", refusal.Reason);
        Assert.Equal("T2", refusal.Metadata["reply_template"]);
        Assert.Equal(0, order.Items[0].QuantityShipped);
        Assert.Equal(OrderStatus.Pending, order.Status);
    }

    [Fact]
    public void Shipping_some_units_makes_the_order_partially_shipped_and_the_rest_shipped()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var first = order.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", Now, false, Now);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        Assert.Equal(1, order.Items[0].QuantityUnshipped);
        Assert.Equal(new ShipmentLine("A", 1), Assert.Single(first.Lines));

        order.ConfirmShipment([new ItemQuantity("A", 1), new ItemQuantity("B", 1)], "Yamato", "T-2", Now, false, Now);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.All(order.Items, item => Assert.Equal(0, item.QuantityUnshipped));
        Assert.Equal(2, order.Shipments.Count);
        Assert.Null(order.AutoCancelAt);
    }

    [Fact]
    public void Shipping_more_than_is_unshipped_is_refused_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.PartiallyShipped);
        var version = order.Version;

        // B is fine, A has only 1 unit left: the whole request is refused, B included.
        var refusal = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("B", 1), new ItemQuantity("A", 2)], "Yamato", "T-2", Now, false, Now));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("QUANTITY_EXCEEDS_UNSHIPPED", refusal.Reason);
        Assert.Equal("lines[1].quantity", refusal.Field);
        Assert.Equal("1", refusal.Metadata["quantity_unshipped"]);
        Assert.Equal(0, order.Items[1].QuantityShipped);
        Assert.Equal(version, order.Version);
    }

    [Theory]
    [InlineData("Z", 1, "lines[0].order_item_id", "UNKNOWN_ORDER_ITEM")]
    [InlineData("A", 0, "lines[0].quantity", "QUANTITY_NOT_POSITIVE")]
    public void A_bad_shipment_line_is_an_invalid_argument_naming_the_field(string itemId, int quantity, string field, string reason)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var refusal = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity(itemId, quantity)], "Yamato", "T-1", Now, false, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal(field, refusal.Field);
        Assert.Equal(reason, refusal.Reason);
    }

    [Fact]
    public void An_item_named_twice_in_one_shipment_is_refused()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var refusal = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("A", 1), new ItemQuantity("A", 1)], "Yamato", "T-1", Now, false, Now));

        Assert.Equal("lines[1].order_item_id", refusal.Field);
    }

    [Fact]
    public void A_ship_time_before_the_purchase_or_in_the_future_is_refused()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var early = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", order.PurchasedAt.AddSeconds(-1), false, Now));
        var future = Assert.Throws<DomainException>(() =>
            order.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", Now.AddHours(1), false, Now));

        Assert.Equal("ship_time", early.Field);
        Assert.Equal("ship_time", future.Field);
        Assert.Equal(OrderStatus.Unshipped, order.Status);
    }

    [Fact]
    public void Each_change_bumps_the_version_and_records_one_event()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        order.ClearPendingEvents();
        var version = order.Version;

        order.ConfirmShipment([new ItemQuantity("B", 1)], "Yamato", "T-1", Now, false, Now);

        Assert.Equal(version + 1, order.Version);
        Assert.Equal(OrderEventType.ShipmentConfirmed, Assert.Single(order.PendingEvents).Type);
    }
}
