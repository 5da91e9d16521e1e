namespace OrderService.Domain.Tests;

/// <summary>Limits of intake that keep every derived date meaningful, and R4 at the
/// moment of authorization.</summary>
public sealed class IntakeLimitsTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    [Fact]
    public void A_latest_ship_date_more_than_a_year_after_purchase_is_refused()
    {
        var order = TestOrders.NewOrder();

        var refusal = Assert.Throws<DomainException>(() =>
            Order.Create(order with { LatestShipDate = order.PurchasedAt + Order.MaxShipWindow + TimeSpan.FromSeconds(1) }, Now));

        Assert.Equal("latest_ship_time", refusal.Field);
        Assert.Equal("SHIP_DATE_TOO_FAR", refusal.Reason);
        Assert.NotNull(Order.Create(order with { LatestShipDate = order.PurchasedAt + Order.MaxShipWindow }, Now).AutoCancelAt);
    }

    [Fact]
    public void R4_payment_cannot_be_authorized_once_21_days_have_passed()
    {
        var order = Order.Create(TestOrders.NewOrder(), Now);
        var expiry = order.PurchasedAt + Order.PaymentVerificationLimit;

        var refusal = Assert.Throws<DomainException>(() => order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, expiry));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("PAYMENT_VERIFICATION_EXPIRED", refusal.Reason);
        Assert.Equal(OrderStatus.Pending, order.Status);
        order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, expiry.AddTicks(-1));
        Assert.Equal(OrderStatus.Unshipped, order.Status);
    }
}
