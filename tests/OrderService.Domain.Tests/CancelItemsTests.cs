using static OrderService.Domain.Tests.RefundOrders;

namespace OrderService.Domain.Tests;

public sealed class CancelItemsTests
{
    [Fact]
    public void R21_canceling_some_units_gives_back_exactly_what_they_were_charged_and_the_rest_continues()
    {
        var order = Jpy();
        order.ClearPendingEvents();
        var version = order.Version;
        var at = Now.AddHours(1);

        var result = order.CancelItems([new ItemQuantity("A", 1)], CancelReason.NoInventory, CancellationRequester.Seller, "one short", at);

        Assert.Equal(OrderStatus.Unshipped, order.Status);
        var charges = Assert.Single(result.Charges);
        Assert.Equal(("A", 1), (charges.OrderItemId, charges.Quantity));
        Assert.Equal([Principal(Yen(1099)), Shipping(Yen(300))], charges.Amounts);
        Assert.Equal(1399, result.TotalMinorUnits);
        Assert.False(result.Act.WholeOrder);
        Assert.Equal([new CancellationLine("A", 1)], result.Act.Lines);
        Assert.Equal(result.Act, Assert.Single(order.Cancellations));
        Assert.Null(order.Cancellation); // a partial act shows only in the records
        var a = order.Items.Single(i => i.Id == "A");
        Assert.Equal((1, 1), (a.QuantityCanceled, a.QuantityUnshipped));
        Assert.Equal(version + 1, order.Version);
        var canceled = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.ItemsCanceled, canceled.Type);
        Assert.Equal(result.Act.Attribution, canceled.Cancellation);
        Assert.Empty(order.Refunds); // canceled money is not a refund (R24)
    }

    [Fact]
    public void R21_the_canceled_units_charges_are_unit_charge_times_units_exact_in_USD()
    {
        var order = Usd(("U1", 1));

        var result = order.CancelItems([new ItemQuantity("U1", 2), new ItemQuantity("U2", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        Assert.Equal([Principal(Cents(3998)), Shipping(Cents(998)), Tax(Cents(330))], result.Charges[0].Amounts); // components in the order's order
        Assert.Equal([Principal(Cents(500)), Tax(Cents(41)), new ChargeAmount(ChargeComponent.GiftWrap, Cents(250)), new ChargeAmount(ChargeComponent.GiftWrapTax, Cents(21))], result.Charges[1].Amounts);
        var u1 = order.GetRefundableAmounts().Item("U1").Of(ChargeComponent.Principal)!;
        Assert.Equal((Cents(3998), Cents(1999), Cents(0)), (u1.Canceled, u1.Refundable, u1.Cancelable));
    }

    [Fact]
    public void R21_canceling_every_unit_of_an_order_with_nothing_shipped_cancels_the_order()
    {
        var order = Jpy();
        order.CancelItems([new ItemQuantity("A", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now);
        order.ClearPendingEvents();

        var result = order.CancelItems([new ItemQuantity("A", 1), new ItemQuantity("B", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.True(result.Act.WholeOrder);
        Assert.Equal(result.Act, order.Cancellation);
        Assert.Equal(2, order.Cancellations.Count);
        Assert.Equal(OrderEventType.OrderCanceled, Assert.Single(order.PendingEvents).Type); // R11: the buyer is told it is canceled
    }

    [Fact]
    public void R21_canceling_every_unshipped_unit_of_a_partially_shipped_order_makes_it_shipped()
    {
        var order = Jpy(("A", 1));

        var result = order.CancelItems([new ItemQuantity("A", 1), new ItemQuantity("B", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.False(result.Act.WholeOrder);
        Assert.Null(order.Cancellation);
        Assert.Equal(OrderEventType.ItemsCanceled, order.PendingEvents[^1].Type);
        Assert.Null(order.AutoCancelAt); // nothing left for R5 to cancel
    }

    /// <summary>(official buyer request, requester named, reason, requester recorded, counts).</summary>
    public static TheoryData<bool, CancellationRequester, CancelReason, CancellationRequester, bool> Attribution => new()
    {
        { false, CancellationRequester.Seller, CancelReason.NoInventory, CancellationRequester.Seller, true },       // R17: partial cancellations count
        { false, CancellationRequester.Seller, CancelReason.BuyerCanceled, CancellationRequester.Seller, true },
        { false, CancellationRequester.BuyerMessage, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, true }, // R15
        { true, CancellationRequester.Seller, CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial, false },     // R14
        { true, CancellationRequester.BuyerMessage, CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial, false },
        { true, CancellationRequester.Seller, CancelReason.NoInventory, CancellationRequester.BuyerOfficial, true },
    };

    [Theory]
    [MemberData(nameof(Attribution))]
    public void R14_R15_R17_R18_a_partial_cancellation_is_attributed_as_a_whole_order_one(
        bool officialRequest, CancellationRequester given, CancelReason reason, CancellationRequester recorded, bool counts)
    {
        var order = TestOrders.In(OrderStatus.PartiallyShipped, officialRequest);

        var act = order.CancelItems([new ItemQuantity("B", 1)], reason, given, "  ", Now).Act;

        Assert.Equal(new CancellationAttribution(reason, recorded, CancellationExecutor.Seller, counts, Now, null), act.Attribution);
        Assert.Equal(counts, order.HasCountedCancellation);
        Assert.Equal(order.PreviewSellerCancellationFor(reason, given), act.Attribution with { CanceledAt = Now });
    }

    private static DomainException Refused(Order order, Action act, ErrorKind kind, string reason, string? field)
    {
        var before = TestOrders.Snapshot(order);
        var refusal = Assert.Throws<DomainException>(act);
        Assert.Equal((kind, reason, field), (refusal.Kind, refusal.Reason, refusal.Field));
        Assert.Equal(before, TestOrders.Snapshot(order));
        return refusal;
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING")]   // R2
    [InlineData(OrderStatus.Shipped, "ORDER_SHIPPED")]   // R12: return and refund instead
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")] // R16
    public void R21_units_are_canceled_only_before_they_ship(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);

        Refused(order, () => order.CancelItems([new ItemQuantity("A", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now),
            ErrorKind.FailedPrecondition, reason, null);
    }

    [Fact]
    public void R21_shipped_units_cannot_be_canceled()
    {
        var order = Jpy(("A", 1));

        var refusal = Refused(order, () => order.CancelItems([new ItemQuantity("A", 2)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now),
            ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_UNSHIPPED", "items[0].quantity");
        Assert.Equal("1", refusal.Metadata["quantity_unshipped"]);
    }

    [Theory]
    [InlineData("reserved reason", "REASON_RESERVED", "reason")]
    [InlineData("no reason", "REASON_REQUIRED", "reason")]
    [InlineData("official requester", "REQUESTER_NOT_ALLOWED", "requester")]
    [InlineData("no lines", "NO_LINES", "items")]
    [InlineData("zero units", "QUANTITY_NOT_POSITIVE", "items[0].quantity")]
    [InlineData("unknown item", "UNKNOWN_ORDER_ITEM", "items[0].order_item_id")]
    [InlineData("item twice", "DUPLICATE_ORDER_ITEM_ID", "items[1].order_item_id")]
    public void R21_a_malformed_cancellation_is_an_invalid_argument_in_every_state(string mistake, string reason, string field)
    {
        foreach (var status in new[] { OrderStatus.Pending, OrderStatus.Unshipped, OrderStatus.Canceled })
        {
            var order = TestOrders.In(status);
            IReadOnlyList<ItemQuantity> items = mistake switch
            {
                "no lines" => [],
                "zero units" => [new ItemQuantity("A", 0)],
                "unknown item" => [new ItemQuantity("Z", 1)],
                "item twice" => [new ItemQuantity("A", 1), new ItemQuantity("A", 1)],
                _ => [new ItemQuantity("A", 1)],
            };
            var cancelReason = mistake switch
            {
                "reserved reason" => CancelReason.ShipDateMissed,
                "no reason" => (CancelReason)0,
                _ => CancelReason.NoInventory,
            };
            var requester = mistake == "official requester" ? CancellationRequester.BuyerOfficial : CancellationRequester.Seller;

            Refused(order, () => order.CancelItems(items, cancelReason, requester, null, Now), ErrorKind.InvalidArgument, reason, field);
        }
    }
}

internal static class PreviewExtensions
{
    /// <summary>What CancelBySeller would have recorded on the same order, read from a copy
    /// in the same state (R14, R15): CancelItems must attribute alike.</summary>
    public static CancellationAttribution PreviewSellerCancellationFor(this Order order, CancelReason reason, CancellationRequester requester)
    {
        var twin = TestOrders.In(OrderStatus.Unshipped, order.BuyerCancellationRequest is not null);
        return twin.PreviewSellerCancellation(reason, requester, null, TestOrders.Now);
    }
}
