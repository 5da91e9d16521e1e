using static OrderService.Domain.Tests.RefundOrders;

namespace OrderService.Domain.Tests;

public sealed class ReturnTests
{
    [Fact]
    public void R23_units_received_back_are_refunded_their_charges()
    {
        var order = Jpy(("A", 2), ("B", 1));
        order.ClearPendingEvents();
        var version = order.Version;

        var refund = order.RecordReturn([new ItemQuantity("A", 1)], [], Now);

        Assert.Equal((RefundKind.Return, AdjustmentReason.CustomerReturn), (refund.Kind, refund.Reason));
        var line = Assert.Single(refund.Lines);
        Assert.Equal(("A", 1), (line.OrderItemId, line.QuantityReturned));
        Assert.Equal([Principal(Yen(1099)), Shipping(Yen(300))], line.Amounts);
        Assert.Equal(Yen(1399), refund.Total);
        Assert.Equal(1, order.QuantityReturned("A"));
        Assert.Equal(1, order.GetRefundableAmounts().Item("A").QuantityReturned);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(version + 1, order.Version);
        var recorded = Assert.Single(order.PendingEvents); // one notice: the return with its refund
        Assert.Equal(OrderEventType.ReturnRecorded, recorded.Type);
        Assert.Same(refund, recorded.Refund);
    }

    [Fact]
    public void R23_after_a_partial_refund_each_returned_unit_takes_its_share_and_the_last_unit_the_remainder_USD()
    {
        var order = Usd(("U1", 3));
        // A $10.00 price adjustment and its tax, refunded before anything came back.
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(1000)), Tax(Cents(83)))], Now);
        // Principal left: 59.97 - 10.00 = 49.97 over 3 units, which does not divide evenly.

        var first = order.RecordReturn([new ItemQuantity("U1", 1)], [], Now).Lines[0];
        var second = order.RecordReturn([new ItemQuantity("U1", 1)], [], Now).Lines[0];
        var last = order.RecordReturn([new ItemQuantity("U1", 1)], [], Now).Lines[0];

        // floor(4997 / 3) = 1665, then floor(3332 / 2) = 1666, then all that is left: 1666.
        Assert.Equal([1665, 1666, 1666], new[] { first, second, last }.Select(l => l.AmountOf(ChargeComponent.Principal)));
        // Tax: 4.95 - 0.83 = 4.12: 137, 137, 138.
        Assert.Equal([137, 137, 138], new[] { first, second, last }.Select(l => l.AmountOf(ChargeComponent.Tax)));
        // Shipping was not adjusted: 4.99 each, exactly.
        Assert.Equal([499, 499, 499], new[] { first, second, last }.Select(l => l.AmountOf(ChargeComponent.Shipping)));
        Assert.All(order.GetRefundableAmounts().Item("U1").Components, c =>
        {
            Assert.Equal(c.Charged, c.Refunded); // everything back, not a cent more or less (R22)
            Assert.Equal(0, c.Refundable.MinorUnits);
        });
    }

    [Fact]
    public void R23_returning_two_units_at_once_takes_two_shares_remainder_with_the_last_units()
    {
        var order = Usd(("U1", 3));
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(1000)))], Now);

        var two = order.RecordReturn([new ItemQuantity("U1", 2)], [], Now).Lines[0];
        var last = order.RecordReturn([new ItemQuantity("U1", 1)], [], Now).Lines[0];

        Assert.Equal(3331, two.AmountOf(ChargeComponent.Principal));  // floor(4997 x 2 / 3)
        Assert.Equal(1666, last.AmountOf(ChargeComponent.Principal)); // 4997 - 3331
    }

    [Fact]
    public void R23_R42_deductions_are_kept_back_line_by_line_never_more_than_a_line_refunds()
    {
        var order = Jpy(("A", 2), ("B", 1));

        var refund = order.RecordReturn([new ItemQuantity("A", 1), new ItemQuantity("B", 1)],
            [ReturnFee(Yen(1000)), RestockingFee(Yen(1000))], Now);

        // A refunds 1399: it keeps the 1000 return fee and 399 of the restocking fee; B the other 601.
        Assert.Equal([ReturnFee(Yen(1000)), RestockingFee(Yen(399))], refund.Lines[0].Deductions);
        Assert.Equal([RestockingFee(Yen(601))], refund.Lines[1].Deductions);
        Assert.Equal(Yen(1399 + 4500 - 2000), refund.Total);
        Assert.Equal(1099, Refunded(order, "A", ChargeComponent.Principal)); // deductions do not reduce what counts as refunded
    }

    private static DomainException Refused(Order order, Action act, ErrorKind kind, string reason, string? field)
    {
        var before = TestOrders.Snapshot(order);
        var refusal = Assert.Throws<DomainException>(act);
        Assert.Equal((kind, reason, field), (refusal.Kind, refusal.Reason, refusal.Field));
        Assert.Equal(before, TestOrders.Snapshot(order));
        return refusal;
    }

    [Fact]
    public void R23_never_more_units_than_shipped_and_not_yet_returned()
    {
        var order = Jpy(("A", 1));
        order.RecordReturn([new ItemQuantity("A", 1)], [], Now);

        var refusal = Refused(order, () => order.RecordReturn([new ItemQuantity("A", 1)], [], Now),
            ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_RETURNABLE", "lines[0].quantity_received");
        Assert.Equal("0", refusal.Metadata["quantity_returnable"]);
        Refused(order, () => order.RecordReturn([new ItemQuantity("B", 1)], [], Now),
            ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_RETURNABLE", "lines[0].quantity_received");
    }

    [Fact]
    public void R42_deductions_larger_than_the_return_refund_are_refused()
    {
        var order = Jpy(("A", 1));

        Refused(order, () => order.RecordReturn([new ItemQuantity("A", 1)], [ReturnFee(Yen(1400))], Now),
            ErrorKind.FailedPrecondition, "DEDUCTIONS_EXCEED_REFUND", "deductions");
    }

    [Theory]
    [InlineData("charge as a deduction", "NOT_A_DEDUCTION", "deductions[0].component")]
    [InlineData("fee twice", "DUPLICATE_CHARGE_COMPONENT", "deductions[1].component")]
    [InlineData("negative fee", "NEGATIVE_AMOUNT", "deductions[0].amount")]
    [InlineData("other currency", "CURRENCY_MISMATCH", "deductions[0].amount.currency_code")]
    [InlineData("no lines", "NO_LINES", "lines")]
    [InlineData("zero units", "QUANTITY_NOT_POSITIVE", "lines[0].quantity_received")]
    public void R23_a_malformed_return_is_an_invalid_argument(string mistake, string reason, string field)
    {
        var order = Jpy(("A", 2));
        IReadOnlyList<ItemQuantity> lines = mistake switch
        {
            "no lines" => [],
            "zero units" => [new ItemQuantity("A", 0)],
            _ => [new ItemQuantity("A", 1)],
        };
        IReadOnlyList<ChargeAmount> deductions = mistake switch
        {
            "charge as a deduction" => [Shipping(Yen(100))],
            "fee twice" => [ReturnFee(Yen(1)), ReturnFee(Yen(1))],
            "negative fee" => [ReturnFee(Yen(-1))],
            "other currency" => [ReturnFee(Cents(1))],
            _ => [],
        };

        Refused(order, () => order.RecordReturn(lines, deductions, Now), ErrorKind.InvalidArgument, reason, field);
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING")]
    [InlineData(OrderStatus.Unshipped, "ORDER_NOT_SHIPPED")]
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED")]
    public void R23_nothing_comes_back_from_an_order_that_never_shipped(OrderStatus status, string reason)
    {
        var order = TestOrders.In(status);

        Refused(order, () => order.RecordReturn([new ItemQuantity("A", 1)], [], Now), ErrorKind.FailedPrecondition, reason, null);
    }
}
