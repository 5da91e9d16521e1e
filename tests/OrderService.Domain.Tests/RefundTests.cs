using static OrderService.Domain.Tests.RefundOrders;

namespace OrderService.Domain.Tests;

public sealed class RefundTests
{
    [Fact]
    public void R22_a_JPY_item_charged_1099_tax_included_is_refunded_principal_1099()
    {
        var order = Jpy(("A", 2), ("B", 1));
        order.ClearPendingEvents();
        var version = order.Version;
        var at = Now.AddHours(3);

        var refund = order.RefundPartially(AdjustmentReason.CustomerCancel, [new ItemRefund("A", Principal(Yen(1099)))], at);

        Assert.StartsWith("ref_", refund.Id, StringComparison.Ordinal);
        Assert.Equal(RefundKind.Partial, refund.Kind);
        Assert.Equal(AdjustmentReason.CustomerCancel, refund.Reason);
        Assert.Equal(at, refund.RefundedAt);
        Assert.Equal(Yen(1099), refund.Total);
        Assert.Equal(1099, Refunded(order, "A", ChargeComponent.Principal));
        Assert.Equal(1099, Refundable(order, "A", ChargeComponent.Principal));
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(refund, Assert.Single(order.Refunds));
        Assert.Equal(version + 1, order.Version);
        var issued = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.RefundIssued, issued.Type);
        Assert.Same(refund, issued.Refund);
    }

    [Fact]
    public void R22_a_USD_refund_per_component_with_a_restocking_fee_pays_the_amounts_minus_the_fee()
    {
        var order = Usd(("U1", 3), ("U2", 1));

        var refund = order.RefundPartially(AdjustmentReason.DifferentItem,
        [
            new ItemRefund("U1", [Principal(Cents(1999)), Tax(Cents(165))], [RestockingFee(Cents(300))]),
            new ItemRefund("U2", new ChargeAmount(ChargeComponent.GiftWrap, Cents(250)), new ChargeAmount(ChargeComponent.GiftWrapTax, Cents(21))),
        ], Now);

        Assert.Equal(Cents(1999 + 165 - 300 + 250 + 21), refund.Total); // $21.35
        Assert.Equal(1999, Refunded(order, "U1", ChargeComponent.Principal)); // the fee does not give the charge back
        Assert.Equal(3998, Refundable(order, "U1", ChargeComponent.Principal));
        Assert.Equal(0, Refundable(order, "U2", ChargeComponent.GiftWrap));
        Assert.Equal(500, Refundable(order, "U2", ChargeComponent.Principal));
    }

    [Fact]
    public void R20_a_full_refund_is_everything_still_refundable_and_only_the_shipped_units_share()
    {
        var order = Jpy(("A", 1));
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("A", Principal(Yen(99)))], Now);

        var refund = order.RefundInFull(AdjustmentReason.CouldNotShip, Now);

        Assert.Equal(RefundKind.Full, refund.Kind);
        var line = Assert.Single(refund.Lines); // B has nothing shipped: nothing of it is refunded (R24)
        Assert.Equal("A", line.OrderItemId);
        Assert.Equal([Principal(Yen(1000)), Shipping(Yen(300))], line.Amounts);
        Assert.Equal(0, order.GetRefundableAmounts().TotalRefundable.MinorUnits);
        Assert.Equal(4500 + 1099 + 300, order.GetRefundableAmounts().Items.SelectMany(i => i.Components).Sum(c => c.Cancelable.MinorUnits));
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
    }

    [Fact]
    public void R22_refunds_add_up_to_the_charge_and_never_beyond()
    {
        var order = Usd(("U1", 3));
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(5000)))], Now);
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(997)))], Now);

        var refusal = Assert.Throws<DomainException>(() =>
            order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(1)))], Now));

        Assert.Equal("AMOUNT_EXCEEDS_REFUNDABLE", refusal.Reason);
        Assert.Equal(5997, Refunded(order, "U1", ChargeComponent.Principal));
        Assert.Equal("0", refusal.Metadata["refundable_minor_units"]);
    }

    /// <summary>A refusal: the kind, the reason, the field, and nothing changed.</summary>
    private static DomainException Refused(Order order, Action act, ErrorKind kind, string reason, string? field)
    {
        var before = TestOrders.Snapshot(order);
        var refusal = Assert.Throws<DomainException>(act);
        Assert.Equal((kind, reason, field), (refusal.Kind, refusal.Reason, refusal.Field));
        Assert.Equal(before, TestOrders.Snapshot(order));
        return refusal;
    }

    [Fact]
    public void R21_R24_refunding_unshipped_units_money_is_refused_and_says_to_cancel_them()
    {
        var order = Jpy(("A", 1));

        var refusal = Refused(order, () => order.RefundPartially(AdjustmentReason.NoInventory, [new ItemRefund("A", Principal(Yen(2198)))], Now),
            ErrorKind.FailedPrecondition, "UNSHIPPED_UNITS_NOT_REFUNDABLE", "items[0].amounts[0].amount");

        Assert.Equal("orderservice.v1.RefundService/CancelItems", refusal.Metadata["use_instead"]);
        Assert.Equal("1099", refusal.Metadata["refundable_minor_units"]);
        Assert.Contains("CancelItems", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("R21", refusal.Message, StringComparison.Ordinal);

        // B has no shipped unit at all: any of its money is the unshipped units'.
        Refused(order, () => order.RefundPartially(AdjustmentReason.NoInventory, [new ItemRefund("A", Principal(Yen(1))), new ItemRefund("B", Principal(Yen(1)))], Now),
            ErrorKind.FailedPrecondition, "UNSHIPPED_UNITS_NOT_REFUNDABLE", "items[1].amounts[0].amount");
    }

    [Fact]
    public void R22_more_than_was_ever_charged_is_refused_as_exceeding_the_refundable_amount()
    {
        var order = Jpy(("A", 1));

        Refused(order, () => order.RefundPartially(AdjustmentReason.Other, [new ItemRefund("A", Shipping(Yen(601)))], Now),
            ErrorKind.FailedPrecondition, "AMOUNT_EXCEEDS_REFUNDABLE", "items[0].amounts[0].amount");
    }

    public static TheoryData<string, string, string> InvalidRefunds => new()
    {
        { "no lines", "NO_LINES", "items" },
        { "unknown item", "UNKNOWN_ORDER_ITEM", "items[0].order_item_id" },
        { "item twice", "DUPLICATE_ORDER_ITEM_ID", "items[1].order_item_id" },
        { "deduction as an amount", "DEDUCTION_NOT_A_CHARGE", "items[0].amounts[0].component" },
        { "component twice", "DUPLICATE_CHARGE_COMPONENT", "items[0].amounts[1].component" },
        { "component not charged", "COMPONENT_NOT_CHARGED", "items[0].amounts[0].component" },
        { "unknown component", "COMPONENT_REQUIRED", "items[0].amounts[0].component" },
        { "other currency", "CURRENCY_MISMATCH", "items[0].amounts[0].amount.currency_code" },
        { "negative", "NEGATIVE_AMOUNT", "items[0].amounts[0].amount" },
        { "charge as a deduction", "NOT_A_DEDUCTION", "items[0].deductions[0].component" },
        { "deductions above the refund", "DEDUCTIONS_EXCEED_REFUND", "items[0].deductions" },
        { "deductions taking all of it", "NOTHING_TO_REFUND", "items" },
        { "all zero", "NOTHING_TO_REFUND", "items" },
        { "no reason", "REASON_REQUIRED", "reason" },
    };

    [Theory]
    [MemberData(nameof(InvalidRefunds))]
    public void R22_a_malformed_refund_is_an_invalid_argument_naming_its_field_and_changes_nothing(string mistake, string reason, string field)
    {
        var order = Jpy(("A", 2), ("B", 1));
        var adjustment = mistake == "no reason" ? (AdjustmentReason)0 : AdjustmentReason.Other;
        IReadOnlyList<ItemRefund> items = mistake switch
        {
            "no lines" => [],
            "unknown item" => [new ItemRefund("Z", Principal(Yen(1)))],
            "item twice" => [new ItemRefund("A", Principal(Yen(1))), new ItemRefund("A", Shipping(Yen(1)))],
            "deduction as an amount" => [new ItemRefund("A", ReturnFee(Yen(1)))],
            "component twice" => [new ItemRefund("A", Principal(Yen(1)), Principal(Yen(1)))],
            "component not charged" => [new ItemRefund("B", Shipping(Yen(1)))],
            "unknown component" => [new ItemRefund("A", new ChargeAmount((ChargeComponent)0, Yen(1)))],
            "other currency" => [new ItemRefund("A", Principal(Cents(1)))],
            "negative" => [new ItemRefund("A", Principal(Yen(-1)))],
            "charge as a deduction" => [new ItemRefund("A", [Principal(Yen(100))], [Shipping(Yen(1))])],
            "deductions above the refund" => [new ItemRefund("A", [Principal(Yen(100))], [ReturnFee(Yen(101))])],
            "deductions taking all of it" => [new ItemRefund("A", [Principal(Yen(100))], [ReturnFee(Yen(100))])],
            "all zero" => [new ItemRefund("A", Principal(Yen(0)))],
            _ => [new ItemRefund("A", Principal(Yen(1)))],
        };

        Refused(order, () => order.RefundPartially(adjustment, items, Now), ErrorKind.InvalidArgument, reason, field);
    }

    [Fact]
    public void R22_argument_mistakes_are_reported_before_the_order_state()
    {
        var order = TestOrders.In(OrderStatus.Pending);

        Refused(order, () => order.RefundPartially(AdjustmentReason.Other, [new ItemRefund("A", Principal(Cents(1)))], Now),
            ErrorKind.InvalidArgument, "CURRENCY_MISMATCH", "items[0].amounts[0].amount.currency_code");
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING")]
    [InlineData(OrderStatus.Unshipped, "ORDER_NOT_SHIPPED")] // R24: nothing shipped, cancel instead
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")]     // R16
    public void R24_a_refund_needs_shipped_units(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);

        Refused(order, () => order.RefundPartially(AdjustmentReason.Other, [new ItemRefund("A", Principal(Yen(1)))], Now), ErrorKind.FailedPrecondition, reason, null);
        Refused(order, () => order.RefundInFull(AdjustmentReason.Other, Now), ErrorKind.FailedPrecondition, reason, null);
    }

    [Fact]
    public void R20_a_full_refund_with_nothing_left_is_refused()
    {
        var order = Jpy(("A", 2), ("B", 1));
        order.RefundInFull(AdjustmentReason.Other, Now);

        Refused(order, () => order.RefundInFull(AdjustmentReason.Other, Now), ErrorKind.FailedPrecondition, "NOTHING_TO_REFUND", null);
        Refused(order, () => order.RefundInFull((AdjustmentReason)99, Now), ErrorKind.InvalidArgument, "REASON_REQUIRED", "reason");
    }
}
