namespace OrderService.Domain;

/// <summary>Who is told about an order event.</summary>
public enum NotificationAudience
{
    /// <summary>The order's seller: the API notices and Manage Orders view (R13).</summary>
    Seller = 1,
    /// <summary>The order's buyer: what the marketplace would send as e-mails (R11).</summary>
    Buyer = 2,
}

/// <summary>Which audience receives a notice of each event. The seller hears about
/// everything on its orders; the buyer receives only the notices a marketplace would
/// e-mail: confirmation, shipment, cancellation, refunds, returns.</summary>
public static class NotificationRouting
{
    private static readonly Dictionary<OrderEventType, NotificationAudience[]> Audiences = new()
    {
        [OrderEventType.OrderCreated] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.PaymentAuthorized] = [NotificationAudience.Seller],
        [OrderEventType.ShipmentConfirmed] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.BuyerCancellationRequested] = [NotificationAudience.Seller], // R13
        [OrderEventType.OrderCanceled] = [NotificationAudience.Seller, NotificationAudience.Buyer], // R11
        [OrderEventType.ItemsCanceled] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.AutoCancelWarning] = [NotificationAudience.Seller], // R5
        [OrderEventType.RefundIssued] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.ReturnRecorded] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.CarrierReturnRequested] = [NotificationAudience.Seller, NotificationAudience.Buyer],
        [OrderEventType.AddressChangeRequested] = [NotificationAudience.Seller],
    };

    public static IReadOnlyList<NotificationAudience> AudiencesOf(OrderEventType type) =>
        Audiences.TryGetValue(type, out var audiences)
            ? audiences
            : throw new InvalidOperationException($"No audience for {type}.");

    /// <summary>The event types an audience is sent.</summary>
    public static IReadOnlyList<OrderEventType> TypesFor(NotificationAudience audience) =>
        Audiences.Where(entry => entry.Value.Contains(audience)).Select(entry => entry.Key).Order().ToList();
}
