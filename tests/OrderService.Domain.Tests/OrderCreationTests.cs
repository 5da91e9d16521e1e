namespace OrderService.Domain.Tests;

public sealed class OrderCreationTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    public static TheoryData<string, Func<NewOrder, NewOrder>, string, string> InvalidOrders => new()
    {
        { "unsupported currency", o => o with { CurrencyCode = "XYZ" }, "currency_code", "UNSUPPORTED_CURRENCY" },
        { "purchase in the future", o => o with { PurchasedAt = Now.AddHours(1) }, "purchase_time", "TIME_IN_FUTURE" },
        { "ship date before purchase", o => o with { LatestShipDate = o.PurchasedAt.AddSeconds(-1) }, "latest_ship_time", "SHIP_DATE_BEFORE_PURCHASE" },
        { "no items", o => o with { Items = [] }, "items", "NO_ITEMS" },
        { "duplicate item id", o => o with { Items = [o.Items[0], o.Items[0] with { Sku = "other" }] }, "items[1].order_item_id", "DUPLICATE_ORDER_ITEM_ID" },
        { "zero quantity", o => o with { Items = [o.Items[0] with { Quantity = 0 }] }, "items[0].quantity", "QUANTITY_NOT_POSITIVE" },
        { "no principal", o => o with { Items = [o.Items[0] with { UnitCharges = [new UnitCharge(ChargeComponent.Shipping, 300)] }] }, "items[0].unit_charges", "PRINCIPAL_REQUIRED" },
        { "deduction as a charge", o => o with { Items = [o.Items[0] with { UnitCharges = [new UnitCharge(ChargeComponent.Principal, 1), new UnitCharge(ChargeComponent.RestockingFee, 1)] }] }, "items[0].unit_charges[1].component", "DEDUCTION_NOT_A_CHARGE" },
        { "component twice", o => o with { Items = [o.Items[0] with { UnitCharges = [new UnitCharge(ChargeComponent.Principal, 1), new UnitCharge(ChargeComponent.Principal, 2)] }] }, "items[0].unit_charges[1].component", "DUPLICATE_CHARGE_COMPONENT" },
        { "negative charge", o => o with { Items = [o.Items[0] with { UnitCharges = [new UnitCharge(ChargeComponent.Principal, -1)] }] }, "items[0].unit_charges[0].amount", "NEGATIVE_AMOUNT" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public void An_invalid_order_is_refused_naming_the_field(string name, Func<NewOrder, NewOrder> spoil, string field, string reason)
    {
        var refusal = Assert.Throws<DomainException>(() => Order.Create(spoil(TestOrders.NewOrder()), Now));

        Assert.True(refusal.Kind == ErrorKind.InvalidArgument, name);
        Assert.Equal(field, refusal.Field);
        Assert.Equal(reason, refusal.Reason);
    }

    [Fact]
    public void A_tax_inclusive_jpy_principal_with_no_tax_component_is_a_valid_order()
    {
        // docs/domain-rules.md, "Charge components": in JPY prices include tax; Principal 1099 alone is a complete charge.
        var order = Order.Create(TestOrders.NewOrder(), Now);

        Assert.Equal((ChargeComponent.Principal, 1099L), (order.Items[0].UnitCharges[0].Component, order.Items[0].UnitCharges[0].AmountMinor));
        Assert.Equal((1099L * order.Items[0].QuantityOrdered, 0L), (order.Items[0].UnitCharges[0].ChargedMinor, order.Items[0].UnitCharges[0].RefundedMinor));
        Assert.Equal(3, order.Items.Sum(i => i.QuantityOrdered));
    }
}
