namespace OrderService.Persistence;

/// <summary>One row of the append-only event log. Written in the same transaction as the
/// change it describes; <see cref="Id"/> is the position the notification stream resumes
/// from.</summary>
public sealed class OrderEventRecord
{
    public long Id { get; set; }

    /// <summary>Unique identifier clients de-duplicate on.</summary>
    public Guid EventId { get; set; }

    public string OrderId { get; set; } = "";

    public string SellerId { get; set; } = "";

    public string BuyerId { get; set; } = "";

    /// <summary>The <see cref="Domain.OrderEventType"/> name.</summary>
    public string Type { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The order's version after the change.</summary>
    public int OrderVersion { get; set; }

    /// <summary>JSON: the order summary after the change and the event's details
    /// (<see cref="OrderEventPayload"/>).</summary>
    public string Payload { get; set; } = "";

    /// <summary>The row of <paramref name="orderEvent"/>, a pending event of
    /// <paramref name="order"/> as it is after the change.</summary>
    public static OrderEventRecord Of(Domain.Order order, Domain.OrderEvent orderEvent) => new()
    {
        EventId = Guid.CreateVersion7(orderEvent.OccurredAt),
        OrderId = order.Id,
        SellerId = order.SellerId,
        BuyerId = order.BuyerId,
        Type = orderEvent.Type.ToString(),
        OccurredAt = orderEvent.OccurredAt,
        OrderVersion = order.Version,
        Payload = OrderEventPayload.Of(order, orderEvent).ToJson(),
    };
}

/// <summary>The stored answer to a mutating request, keyed by the caller and the
/// client's request_id (AIP-155). Written in the same transaction as the change, so a
/// retry after a lost reply finds either both or neither.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Who sent it ("seller:S1", "marketplace:svc"): two callers may pick the
    /// same request_id without colliding.</summary>
    public string CallerKey { get; set; } = "";

    public string RequestId { get; set; } = "";

    /// <summary>The full gRPC method name.</summary>
    public string Method { get; set; } = "";

    /// <summary>SHA-256 of the method and the serialized request, hex: tells a true retry
    /// from a reused request_id.</summary>
    public string RequestHash { get; set; } = "";

    /// <summary>The serialized response message.</summary>
    public byte[] Response { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}
