namespace OrderService.Domain;

/// <summary>A ship confirmation (R3).</summary>
public sealed class Shipment
{
    private readonly List<ShipmentLine> _lines = [];

    private Shipment() { } // for EF Core

    internal Shipment(string id, string carrier, string trackingNumber, DateTimeOffset shippedAt, IEnumerable<ItemQuantity> lines)
    {
        Id = id;
        Carrier = carrier;
        TrackingNumber = trackingNumber;
        ShippedAt = shippedAt;
        _lines.AddRange(lines.Select(l => new ShipmentLine(l.OrderItemId, l.Quantity)));
    }

    public string Id { get; private set; } = "";

    public string Carrier { get; private set; } = "";

    public string TrackingNumber { get; private set; } = "";

    public DateTimeOffset ShippedAt { get; private set; }

    public IReadOnlyList<ShipmentLine> Lines => _lines;
}

/// <summary>Units of one item in a shipment.</summary>
public sealed record ShipmentLine(string OrderItemId, int Quantity);
