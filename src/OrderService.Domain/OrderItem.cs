namespace OrderService.Domain;

/// <summary>An item of an order and where its units are. Changed only through
/// <see cref="Order"/>.</summary>
public sealed class OrderItem
{
    private readonly List<UnitCharge> _unitCharges = [];

    private OrderItem() { } // for EF Core

    internal OrderItem(NewOrderItem item, int position)
    {
        Id = item.OrderItemId;
        Position = position;
        Sku = item.Sku;
        Title = item.Title;
        QuantityOrdered = item.Quantity;
        _unitCharges.AddRange(item.UnitCharges.OrderBy(c => c.Component).Select(c => c.ForQuantity(item.Quantity)));
    }

    /// <summary>The marketplace's identifier of the item, unique within the order.</summary>
    public string Id { get; private set; } = "";

    /// <summary>Where the marketplace put the item in the order, from 0: the order items are
    /// shown in, whatever order a database returns them in.</summary>
    public int Position { get; private set; }

    public string Sku { get; private set; } = "";

    public string Title { get; private set; } = "";

    public int QuantityOrdered { get; private set; }

    public int QuantityShipped { get; private set; }

    public int QuantityCanceled { get; private set; }

    public int QuantityUnshipped => QuantityOrdered - QuantityShipped - QuantityCanceled;

    /// <summary>What one unit was charged, per component.</summary>
    public IReadOnlyList<UnitCharge> UnitCharges => _unitCharges;

    internal void Ship(int quantity)
    {
        if (quantity <= 0 || quantity > QuantityUnshipped)
        {
            throw new InvalidOperationException($"Shipping {quantity} of {QuantityUnshipped} unshipped units of {Id}.");
        }

        QuantityShipped += quantity;
    }

    /// <summary>Cancels units that never shipped (R5, R10, R21). Shipped units are never
    /// canceled: they come back as returns and are refunded (R12, R24).</summary>
    internal void CancelUnits(int quantity)
    {
        if (quantity <= 0 || quantity > QuantityUnshipped)
        {
            throw new InvalidOperationException($"Canceling {quantity} of {QuantityUnshipped} unshipped units of {Id}.");
        }

        QuantityCanceled += quantity;
    }
}
