using System.Text.Json;
using System.Text.Json.Serialization;
using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>What an event row carries besides its columns: the order as it is after the
/// change, so that a notice can be built from the log alone, without reading the order
/// (which may have changed again since).</summary>
public sealed record OrderEventPayload(
    OrderStatus Status,
    IReadOnlyList<OrderEventPayload.ItemQuantities> Items,
    string? BuyerCancellationReason,
    CancellationAttribution? Cancellation,
    OrderEventPayload.RefundMade? Refund = null,
    string? AddressChangeReason = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public sealed record ItemQuantities(string OrderItemId, int Ordered, int Shipped, int Canceled);

    /// <summary>The refund an event made (REFUND_ISSUED, RETURN_RECORDED), as it was made.</summary>
    public sealed record RefundMade(
        string RefundId, AdjustmentReason Reason, string CurrencyCode, DateTimeOffset RefundedAt, IReadOnlyList<RefundLine> Lines);

    public static OrderEventPayload Of(Order order, OrderEvent orderEvent) => new(
        order.Status,
        order.Items.Select(i => new ItemQuantities(i.Id, i.QuantityOrdered, i.QuantityShipped, i.QuantityCanceled)).ToList(),
        order.BuyerCancellationRequest?.Reason,
        orderEvent.Cancellation,
        orderEvent.Refund is { } refund ? new RefundMade(refund.Id, refund.Reason, refund.CurrencyCode, refund.RefundedAt, refund.Lines) : null,
        orderEvent.Type == OrderEventType.AddressChangeRequested ? orderEvent.Reason : null);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static OrderEventPayload FromJson(string json) =>
        JsonSerializer.Deserialize<OrderEventPayload>(json, Json)
        ?? throw new InvalidDataException("Empty event payload.");
}
