namespace OrderService.Domain.Tests;

/// <summary>Orders and amounts for the refund tests: the JPY order of <see cref="TestOrders"/>
/// (tax included, 0 decimals) and a USD order with tax (2 decimals).</summary>
internal static class RefundOrders
{
    public static readonly DateTimeOffset Now = TestOrders.Now;

    public static Money Yen(long yen) => new(yen, "JPY");

    public static Money Cents(long cents) => new(cents, "USD");

    public static ChargeAmount Principal(Money amount) => new(ChargeComponent.Principal, amount);

    public static ChargeAmount Shipping(Money amount) => new(ChargeComponent.Shipping, amount);

    public static ChargeAmount Tax(Money amount) => new(ChargeComponent.Tax, amount);

    public static ChargeAmount ReturnFee(Money amount) => new(ChargeComponent.ReturnShipping, amount);

    public static ChargeAmount RestockingFee(Money amount) => new(ChargeComponent.RestockingFee, amount);

    /// <summary>The JPY order (A x2 at 1099 + 300 shipping, B x1 at 4500), authorized,
    /// with the given units shipped.</summary>
    public static Order Jpy(params (string Item, int Units)[] shipped)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        Ship(order, shipped);
        return order;
    }

    /// <summary>A USD order: U1 x3 at $19.99 + $1.65 tax + $4.99 shipping; U2 x1 at $5.00 +
    /// $0.41 tax + $2.50 gift wrap + $0.21 gift wrap tax. Authorized, with the given units
    /// shipped.</summary>
    public static Order Usd(params (string Item, int Units)[] shipped)
    {
        var order = Order.Create(new NewOrder(
            "111-0000001-0000001", "SELLER-1", "BUYER-1", "USD", Now.AddHours(-1), Now.AddDays(2),
            [
                new NewOrderItem("U1", "SKU-U1", "Mug", 3,
                [
                    new UnitCharge(ChargeComponent.Principal, 1999),
                    new UnitCharge(ChargeComponent.Tax, 165),
                    new UnitCharge(ChargeComponent.Shipping, 499),
                ]),
                new NewOrderItem("U2", "SKU-U2", "Coaster", 1,
                [
                    new UnitCharge(ChargeComponent.Principal, 500),
                    new UnitCharge(ChargeComponent.Tax, 41),
                    new UnitCharge(ChargeComponent.GiftWrap, 250),
                    new UnitCharge(ChargeComponent.GiftWrapTax, 21),
                ]),
            ]), Now);
        order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, Now);
        Ship(order, shipped);
        return order;
    }

    public static void Ship(Order order, params (string Item, int Units)[] shipped)
    {
        if (shipped.Length > 0)
        {
            order.ConfirmShipment(shipped.Select(s => new ItemQuantity(s.Item, s.Units)).ToList(), "Yamato", "T-1", Now, false, Now);
        }
    }

    public static long Refundable(Order order, string item, ChargeComponent component) =>
        order.GetRefundableAmounts().Item(item).Of(component)!.Refundable.MinorUnits;

    public static long Refunded(Order order, string item, ChargeComponent component) =>
        order.GetRefundableAmounts().Item(item).Of(component)!.Refunded.MinorUnits;
}
