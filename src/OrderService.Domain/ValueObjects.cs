namespace OrderService.Domain;

/// <summary>Where to ship (attached when payment is authorized, R3; never edited, R40).</summary>
public sealed record ShippingAddress(
    string RecipientName,
    string Line1,
    string? Line2,
    string? Line3,
    string Locality,
    string? AdministrativeArea,
    string PostalCode,
    string RegionCode,
    string? PhoneNumber);

/// <summary>How to reach the buyer (attached when payment is authorized, R3).</summary>
public sealed record BuyerContact(string Name, string Email, string? PhoneNumber);

/// <summary>What one unit of an item was charged for one component.</summary>
public sealed record UnitCharge(ChargeComponent Component, long AmountMinor)
{
    /// <summary>What the buyer was charged for this component over all of the item's units
    /// (unit x ordered), kept beside what was refunded of it so that the database itself
    /// refuses a refund above the charge (R22), whatever any code path did before the
    /// write. 0 for a charge not yet part of an order.</summary>
    public long ChargedMinor { get; private set; }

    /// <summary>What refunds have given back of this component so far (R22): the sum of
    /// the refunds' amounts for it, kept with the charge for the database's check.</summary>
    public long RefundedMinor { get; private set; }

    /// <summary>This unit charge as part of an item of <paramref name="quantity"/> units.</summary>
    internal UnitCharge ForQuantity(int quantity) => this with { ChargedMinor = checked(AmountMinor * quantity), RefundedMinor = 0 };

    /// <summary>Adds a refund of this component. A charge written by a build that did not
    /// keep <see cref="ChargedMinor"/> (an older instance during a rolling upgrade) has 0
    /// there: it is filled in first from the item's <paramref name="quantityOrdered"/>, so the
    /// database's check holds instead of refusing every refund of that order.</summary>
    internal void AddRefunded(long minorUnits, int quantityOrdered)
    {
        if (ChargedMinor == 0)
        {
            ChargedMinor = checked(AmountMinor * quantityOrdered);
        }

        RefundedMinor = checked(RefundedMinor + minorUnits);
    }
}

/// <summary>The buyer's official cancellation request (R13).</summary>
public sealed record BuyerCancellationRequest(string Reason, DateTimeOffset RequestedAt);

/// <summary>Who asked for a cancellation, who carried it out, why, when, and whether it
/// counts against the seller's rate (R14, R15, R17, R18): what is decided before the units
/// are canceled. Recorded on the order as part of a <see cref="CancellationAct"/>.</summary>
public sealed record CancellationAttribution(
    CancelReason Reason,
    CancellationRequester Requester,
    CancellationExecutor Executor,
    bool CountsAgainstSellerRate,
    DateTimeOffset CanceledAt,
    string? Note);

/// <summary>Units of one item in a shipment or another per-item request.</summary>
public sealed record ItemQuantity(string OrderItemId, int Quantity);

/// <summary>Something that happened to an order, waiting to be appended to the event log
/// in the same transaction as the change itself.</summary>
/// <remarks>A refund event (REFUND_ISSUED, RETURN_RECORDED) carries the refund it made.</remarks>
/// <param name="Reason">The buyer's words, for ADDRESS_CHANGE_REQUESTED: what the seller is told.</param>
public sealed record OrderEvent(
    OrderEventType Type, DateTimeOffset OccurredAt, CancellationAttribution? Cancellation = null, Refund? Refund = null, string? Reason = null);

/// <summary>An order as the marketplace hands it over (CreateOrder).</summary>
public sealed record NewOrder(
    string OrderId,
    string SellerId,
    string BuyerId,
    string CurrencyCode,
    DateTimeOffset PurchasedAt,
    DateTimeOffset LatestShipDate,
    IReadOnlyList<NewOrderItem> Items);

/// <summary>An item of a <see cref="NewOrder"/>.</summary>
public sealed record NewOrderItem(
    string OrderItemId,
    string Sku,
    string Title,
    int Quantity,
    IReadOnlyList<UnitCharge> UnitCharges);
