namespace OrderService.Domain;

/// <summary>Shipping: confirming the units that left (R2, R12).</summary>
public sealed partial class Order
{
    /// <summary>Confirms that some units shipped: PARTIALLY_SHIPPED while units remain,
    /// SHIPPED when none do. Refused while PENDING (R2); never more than is unshipped.</summary>
    public Shipment ConfirmShipment(
        IReadOnlyList<ItemQuantity> lines,
        string carrier,
        string trackingNumber,
        DateTimeOffset shippedAt,
        bool acknowledgeBuyerCancellationRequest,
        DateTimeOffset now)
    {
        OrderStateMachine.EnsureAllowed(Status, OrderAction.ConfirmShipment);

        if (BuyerCancellationRequest is not null && !acknowledgeBuyerCancellationRequest)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "BUYER_CANCELLATION_REQUESTED",
                $"The buyer asked to cancel this order ({BuyerCancellationRequest.Reason}). Cancel it with reason BuyerCanceled (R14), or set acknowledge_buyer_cancellation_request to ship anyway.",
                "acknowledge_buyer_cancellation_request",
                new Dictionary<string, string> { ["buyer_cancellation_reason"] = BuyerCancellationRequest.Reason });
        }

        if (shippedAt > now + ClockSkewAllowance)
        {
            throw DomainException.Invalid("ship_time", "TIME_IN_FUTURE", "ship_time is in the future.");
        }

        if (shippedAt < PurchasedAt)
        {
            throw DomainException.Invalid("ship_time", "SHIP_TIME_BEFORE_PURCHASE", "ship_time is before the order was purchased.");
        }

        var items = ResolveItems(lines, "lines");
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Quantity > items[i].QuantityUnshipped)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_UNSHIPPED",
                    $"Item '{items[i].Id}' has {items[i].QuantityUnshipped} unshipped unit(s); cannot ship {lines[i].Quantity}.",
                    $"lines[{i}].quantity",
                    new Dictionary<string, string>
                    {
                        ["order_item_id"] = items[i].Id,
                        ["quantity_unshipped"] = items[i].QuantityUnshipped.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            items[i].Ship(lines[i].Quantity);
        }

        var next = _items.All(item => item.QuantityUnshipped == 0) ? OrderStatus.Shipped : OrderStatus.PartiallyShipped;
        Status = OrderStateMachine.Target(Status, OrderAction.ConfirmShipment, next);
        var shipment = new Shipment("shp_" + Guid.CreateVersion7(now).ToString("N"), carrier, trackingNumber, shippedAt, lines);
        _shipments.Add(shipment);
        Changed(new OrderEvent(OrderEventType.ShipmentConfirmed, now));
        return shipment;
    }
}
