namespace OrderService.Domain;

/// <summary>Where the money of one charge component of one item stands (R22, R24). The
/// four parts always add up to what was charged:
/// <c>Charged = Refunded + Refundable + Canceled + Cancelable</c>.</summary>
/// <param name="Charged">What the buyer was charged for the component over the whole item:
/// the unit charge times the units ordered.</param>
/// <param name="Refunded">The total of every refund's amount for it so far, deductions not
/// subtracted (a deduction is kept back from the buyer; it does not give the charge back).</param>
/// <param name="Refundable">What can be refunded now: the shipped units' share minus what
/// was refunded. Only shipped units are refunded (R24).</param>
/// <param name="Canceled">The canceled units' share: never charged for goods, never refundable.</param>
/// <param name="Cancelable">The unshipped units' share: it goes back to the buyer by
/// canceling those units (R21), not by a refund.</param>
public sealed record ComponentRefundable(
    ChargeComponent Component,
    Money Charged,
    Money Refunded,
    Money Refundable,
    Money Canceled,
    Money Cancelable);

/// <summary>Where the units and the money of one item stand (the contract's
/// <c>ItemRefundable</c>, with the canceled units and money as well).</summary>
public sealed record ItemRefundable(
    string OrderItemId,
    int QuantityOrdered,
    int QuantityShipped,
    int QuantityUnshipped,
    int QuantityCanceled,
    int QuantityReturned,
    IReadOnlyList<ComponentRefundable> Components)
{
    /// <summary>The component's entry; a component the item was not charged has none.</summary>
    public ComponentRefundable? Of(ChargeComponent component) =>
        Components.FirstOrDefault(c => c.Component == component);
}

/// <summary>What can be refunded and canceled on an order, per item and component (R24).</summary>
public sealed record RefundableAmounts(string CurrencyCode, IReadOnlyList<ItemRefundable> Items)
{
    /// <summary>The item's entry; throws for an item the order does not have.</summary>
    public ItemRefundable Item(string orderItemId) =>
        Items.FirstOrDefault(i => i.OrderItemId == orderItemId)
        ?? throw new ArgumentException($"No item '{orderItemId}'.", nameof(orderItemId));

    /// <summary>Everything refundable now, over every item and component.</summary>
    public Money TotalRefundable => new(Items.SelectMany(i => i.Components).Sum(c => c.Refundable.MinorUnits), CurrencyCode);
}

/// <summary>Units of one item canceled by <see cref="Order.CancelItems"/> and exactly what
/// they were charged, per component (R21).</summary>
public sealed record CanceledCharges(string OrderItemId, int Quantity, IReadOnlyList<ChargeAmount> Amounts);

/// <summary>What <see cref="Order.CancelItems"/> did: the cancellation act (R18) and the
/// money of the canceled units (R21), which the contract returns as a refund.</summary>
public sealed record ItemsCancellation(CancellationAct Act, IReadOnlyList<CanceledCharges> Charges)
{
    /// <summary>The canceled units' charges over every item and component.</summary>
    public long TotalMinorUnits => Charges.SelectMany(c => c.Amounts).Sum(a => a.Amount.MinorUnits);
}
