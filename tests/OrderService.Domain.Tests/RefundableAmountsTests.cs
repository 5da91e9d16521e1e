using static OrderService.Domain.Tests.RefundOrders;

namespace OrderService.Domain.Tests;

public sealed class RefundableAmountsTests
{
    [Fact]
    public void R24_only_the_shipped_units_share_is_refundable_the_unshipped_share_is_cancelable_JPY()
    {
        var order = Jpy(("A", 1));
        var version = order.Version;

        var amounts = order.GetRefundableAmounts();

        Assert.Equal("JPY", amounts.CurrencyCode);
        var a = amounts.Item("A");
        Assert.Equal((2, 1, 1, 0, 0), (a.QuantityOrdered, a.QuantityShipped, a.QuantityUnshipped, a.QuantityCanceled, a.QuantityReturned));
        Assert.Equal(new ComponentRefundable(ChargeComponent.Principal, Yen(2198), Yen(0), Yen(1099), Yen(0), Yen(1099)), a.Of(ChargeComponent.Principal));
        Assert.Equal(new ComponentRefundable(ChargeComponent.Shipping, Yen(600), Yen(0), Yen(300), Yen(0), Yen(300)), a.Of(ChargeComponent.Shipping));
        Assert.Null(a.Of(ChargeComponent.Tax)); // JPY prices include tax: no TAX charged
        var b = amounts.Item("B");
        Assert.Equal(new ComponentRefundable(ChargeComponent.Principal, Yen(4500), Yen(0), Yen(0), Yen(0), Yen(4500)), b.Of(ChargeComponent.Principal));
        Assert.Equal(Yen(1399), amounts.TotalRefundable);
        Assert.Equal(version, order.Version); // a query changes nothing
        Assert.Empty(order.Refunds);
    }

    [Fact]
    public void R24_refunded_and_canceled_money_is_shown_apart_USD()
    {
        var order = Usd(("U1", 2));
        order.RefundPartially(AdjustmentReason.PriceError, [new ItemRefund("U1", Principal(Cents(500)), Tax(Cents(41)))], Now);
        order.CancelItems([new ItemQuantity("U1", 1)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now);

        var u1 = order.GetRefundableAmounts().Item("U1");

        Assert.Equal((3, 2, 0, 1), (u1.QuantityOrdered, u1.QuantityShipped, u1.QuantityUnshipped, u1.QuantityCanceled));
        // Principal: 3 x 19.99 = 59.97; shipped 39.98 of which 5.00 refunded; 19.99 canceled.
        Assert.Equal(new ComponentRefundable(ChargeComponent.Principal, Cents(5997), Cents(500), Cents(3498), Cents(1999), Cents(0)), u1.Of(ChargeComponent.Principal));
        Assert.Equal(new ComponentRefundable(ChargeComponent.Tax, Cents(495), Cents(41), Cents(289), Cents(165), Cents(0)), u1.Of(ChargeComponent.Tax));
        Assert.Equal(new ComponentRefundable(ChargeComponent.Shipping, Cents(1497), Cents(0), Cents(998), Cents(499), Cents(0)), u1.Of(ChargeComponent.Shipping));
    }

    [Theory]
    [InlineData(OrderStatus.Pending)]
    [InlineData(OrderStatus.Unshipped)]
    [InlineData(OrderStatus.Canceled)]
    public void R24_with_nothing_shipped_nothing_is_refundable(OrderStatus status)
    {
        var amounts = TestOrders.In(status).GetRefundableAmounts();

        Assert.Equal(0, amounts.TotalRefundable.MinorUnits);
        Assert.All(amounts.Items.SelectMany(i => i.Components), c =>
            Assert.Equal(c.Charged, c.Refunded + c.Refundable + c.Canceled + c.Cancelable));
    }
}
