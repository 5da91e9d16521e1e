using CsCheck;

namespace OrderService.Domain.Tests;

/// <summary>Random orders and random sequences of shipments, refunds, partial
/// cancellations, returns and carrier returns, with the invariants of R21-R24 checked after
/// every step, and each step's success or refusal predicted independently of the domain.</summary>
public sealed class RefundPropertyTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    private static readonly Gen<(int Quantity, long Principal, long Tax, long Shipping)> GenItem =
        Gen.Select(Gen.Int[1, 5], Gen.Long[0, 20_000], Gen.Long[0, 1_999], Gen.Long[0, 999]);

    private static readonly Gen<(int Kind, int A, int B, int C)> GenStep =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1_000], Gen.Int[0, 1_000], Gen.Int[0, 1_000]);

    [Fact]
    public void R21_R22_R23_R24_money_and_units_always_add_up_whatever_the_sequence()
    {
        Gen.Select(GenItem.Array[1, 3], GenStep.Array[1, 40], Gen.Bool)
            .Sample((items, steps, usd) =>
            {
                var order = NewOrder(items, usd ? "USD" : "JPY");
                CheckInvariants(order);
                foreach (var step in steps)
                {
                    Apply(order, step);
                    CheckInvariants(order);
                }
            }, iter: 400);
    }

    private static Order NewOrder((int Quantity, long Principal, long Tax, long Shipping)[] items, string currency)
    {
        var order = Order.Create(new NewOrder("250-9999999-0000001", "SELLER-1", "BUYER-1", currency, Now.AddHours(-1), Now.AddDays(2),
            items.Select((item, i) => new NewOrderItem($"I{i}", $"SKU-{i}", $"Item {i}", item.Quantity,
                [
                    new UnitCharge(ChargeComponent.Principal, item.Principal),
                    new UnitCharge(ChargeComponent.Tax, item.Tax),
                    new UnitCharge(ChargeComponent.Shipping, item.Shipping),
                ])).ToList()), Now);
        order.AuthorizePayment(TestOrders.Address, TestOrders.Contact, Now);
        return order;
    }

    /// <summary>Applies one step and checks that it succeeded exactly when the rules say it
    /// may, and that a refusal changed nothing.</summary>
    private static void Apply(Order order, (int Kind, int A, int B, int C) step)
    {
        var item = order.Items[step.A % order.Items.Count];
        var amounts = order.GetRefundableAmounts();
        var state = amounts.Item(item.Id);
        var shippedStatus = order.Status is OrderStatus.PartiallyShipped or OrderStatus.Shipped;
        var openStatus = order.Status is OrderStatus.Unshipped or OrderStatus.PartiallyShipped;
        var money = (long minor) => new Money(minor, order.CurrencyCode);

        switch (step.Kind)
        {
            case 0: // ship some units
            {
                var units = 1 + (step.B % Math.Max(1, item.QuantityUnshipped));
                Expect(order, openStatus && units <= item.QuantityUnshipped, null,
                    () => order.ConfirmShipment([new ItemQuantity(item.Id, units)], "Yamato", "T", Now, false, Now));
                break;
            }

            case 1: // refund part of one component, sometimes more than refundable
            {
                var component = state.Components[step.B % state.Components.Count];
                var ceiling = component.Refundable.MinorUnits + component.Cancelable.MinorUnits + 2;
                var asked = step.C % 4 == 0 ? component.Refundable.MinorUnits : (long)((Int128)ceiling * step.C / 1_000);
                Expect(order, shippedStatus && asked > 0 && asked <= component.Refundable.MinorUnits, null,
                    () => order.RefundPartially(AdjustmentReason.GeneralAdjustment, [new ItemRefund(item.Id, new ChargeAmount(component.Component, money(asked)))], Now));
                break;
            }

            case 2: // cancel some unshipped units
            {
                var units = 1 + (step.B % Math.Max(1, item.QuantityUnshipped));
                Expect(order, openStatus && units <= item.QuantityUnshipped, null,
                    () => order.CancelItems([new ItemQuantity(item.Id, units)], CancelReason.NoInventory, CancellationRequester.Seller, null, Now));
                break;
            }

            case 3: // record units received back, sometimes with a return fee
            {
                var outstanding = item.QuantityShipped - state.QuantityReturned;
                var units = 1 + (step.B % Math.Max(1, outstanding));
                var fee = step.C % 3 == 0 ? step.C % 300 : 0;
                IReadOnlyList<ChargeAmount> deductions = fee > 0 ? [new ChargeAmount(ChargeComponent.ReturnShipping, money(fee))] : [];
                // Whether the fee fits depends on the share computed; a refusal for that
                // reason alone is allowed.
                Expect(order, shippedStatus && units <= outstanding, fee > 0 ? "DEDUCTIONS_EXCEED_REFUND" : null,
                    () => order.RecordReturn([new ItemQuantity(item.Id, units)], deductions, Now));
                break;
            }

            case 4: // refund everything still refundable
                Expect(order, shippedStatus && amounts.TotalRefundable.MinorUnits > 0, null,
                    () => order.RefundInFull(AdjustmentReason.Other, Now));
                break;

            default: // ask the carrier for the package back
            {
                var somethingOut = amounts.Items.Any(i => i.QuantityShipped > i.QuantityReturned);
                Expect(order, shippedStatus && somethingOut && !order.IsCarrierReturnInProgress, null,
                    () => order.RequestCarrierReturn(CarrierReturnCause.BuyerNotResponding, null, Now));
                break;
            }
        }
    }

    private static void Expect(Order order, bool allowed, string? tolerated, Action act)
    {
        var before = TestOrders.Snapshot(order);
        try
        {
            act();
        }
        catch (DomainException refusal)
        {
            Assert.Equal(before, TestOrders.Snapshot(order)); // a refusal changes nothing
            if (allowed && refusal.Reason != tolerated)
            {
                Assert.Fail($"Refused although allowed: {refusal.Reason}: {refusal.Message}");
            }

            return;
        }

        Assert.True(allowed, "Accepted although the rules refuse it.");
    }

    private static void CheckInvariants(Order order)
    {
        var amounts = order.GetRefundableAmounts();
        foreach (var item in order.Items)
        {
            var state = amounts.Item(item.Id);
            // Units: shipped + canceled + unshipped = ordered; returned <= shipped.
            Assert.Equal(item.QuantityOrdered, item.QuantityShipped + item.QuantityCanceled + item.QuantityUnshipped);
            Assert.InRange(item.QuantityUnshipped, 0, item.QuantityOrdered);
            Assert.InRange(state.QuantityReturned, 0, item.QuantityShipped);

            foreach (var charge in item.UnitCharges)
            {
                var c = state.Of(charge.Component)!;
                // R22: refunded never exceeds charged, per item and component.
                Assert.InRange(c.Refunded.MinorUnits, 0, c.Charged.MinorUnits);
                Assert.True(c.Refundable.MinorUnits >= 0, $"{item.Id}/{charge.Component} refundable {c.Refundable}");
                // Refunded + refundable + canceled money + unshipped money = charged.
                Assert.Equal(c.Charged.MinorUnits, c.Refunded.MinorUnits + c.Refundable.MinorUnits + c.Canceled.MinorUnits + c.Cancelable.MinorUnits);
                Assert.Equal(charge.AmountMinor * item.QuantityOrdered, c.Charged.MinorUnits);
                Assert.Equal(charge.AmountMinor * item.QuantityCanceled, c.Canceled.MinorUnits);
                // R24: nothing beyond the shipped units' share is ever refunded.
                Assert.True(c.Refunded.MinorUnits <= charge.AmountMinor * item.QuantityShipped);
                // The refunds on record are the refunded amount.
                Assert.Equal(c.Refunded.MinorUnits, order.Refunds.SelectMany(r => r.Lines).Where(l => l.OrderItemId == item.Id).Sum(l => l.AmountOf(charge.Component)));
                // And what the database checks (refunded <= charged) agrees with them.
                Assert.Equal((c.Charged.MinorUnits, c.Refunded.MinorUnits), (charge.ChargedMinor, charge.RefundedMinor));
            }
        }

        Assert.All(order.Refunds, refund => Assert.True(refund.Total.MinorUnits >= 0));
        Assert.All(order.Refunds.SelectMany(r => r.Lines), line => Assert.True(line.NetMinorUnits >= 0));

        var shipped = order.Items.Sum(i => i.QuantityShipped);
        var unshipped = order.Items.Sum(i => i.QuantityUnshipped);
        var expected = (shipped, unshipped) switch
        {
            (0, 0) => OrderStatus.Canceled,
            (0, _) => OrderStatus.Unshipped,
            (_, 0) => OrderStatus.Shipped,
            _ => OrderStatus.PartiallyShipped,
        };
        Assert.Equal(expected, order.Status);
    }
}
