namespace OrderService.Domain;

/// <summary>The order aggregate. Every change goes through a method here that consults
/// <see cref="OrderStateMachine"/>, bumps <see cref="Version"/> (the optimistic
/// concurrency token) and records an <see cref="OrderEvent"/> for the event log.</summary>
public sealed partial class Order
{
    /// <summary>R4: a PENDING order not authorized this long after purchase is canceled.</summary>
    public static readonly TimeSpan PaymentVerificationLimit = TimeSpan.FromDays(21);

    /// <summary>R5: units unshipped this long after the latest ship date are canceled.</summary>
    public static readonly TimeSpan AutoCancelGrace = TimeSpan.FromDays(7);

    /// <summary>The furthest a latest ship date may lie after the purchase. Generous for
    /// made-to-order items, and it keeps every date the service derives (auto-cancel times)
    /// representable.</summary>
    public static readonly TimeSpan MaxShipWindow = TimeSpan.FromDays(365);

    /// <summary>How far in the future a client's clock may be before a time it sends is
    /// refused as "in the future".</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    private readonly List<OrderItem> _items = [];
    private readonly List<Shipment> _shipments = [];
    private readonly List<CancellationAct> _cancellations = [];
    private readonly List<OrderEvent> _pendingEvents = [];

    private Order() { } // for EF Core

    public string Id { get; private set; } = "";

    public string SellerId { get; private set; } = "";

    public string BuyerId { get; private set; } = "";

    public OrderStatus Status { get; private set; }

    public string CurrencyCode { get; private set; } = "";

    public DateTimeOffset PurchasedAt { get; private set; }

    public DateTimeOffset LatestShipDate { get; private set; }

    public DateTimeOffset? PaymentAuthorizedAt { get; private set; }

    /// <summary>Null until payment is authorized (R1).</summary>
    public ShippingAddress? ShippingAddress { get; private set; }

    /// <summary>Null until payment is authorized (R1).</summary>
    public BuyerContact? BuyerContact { get; private set; }

    public BuyerCancellationRequest? BuyerCancellationRequest { get; private set; }

    /// <summary>The act that canceled the order as a whole, while it is CANCELED (the
    /// contract's <c>Order.cancellation</c>); null otherwise. Derived from
    /// <see cref="Cancellations"/>, the one record of every act, partial ones included.</summary>
    public CancellationAct? Cancellation =>
        Status == OrderStatus.Canceled ? _cancellations.LastOrDefault(act => act.WholeOrder) : null;

    /// <summary>When the seller was warned that the order's unshipped units are about to be
    /// auto-canceled (R5); null until then. The warning is given once.</summary>
    public DateTimeOffset? AutoCancelWarnedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Incremented by every change; the optimistic concurrency token.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<OrderItem> Items => _items;

    public IReadOnlyList<Shipment> Shipments => _shipments;

    /// <summary>Every cancellation act, oldest first (R18): the whole order or the unshipped
    /// rest of it. The seller's rate (R17) is computed from these.</summary>
    public IReadOnlyList<CancellationAct> Cancellations => _cancellations;

    /// <summary>Whether any cancellation of this order counts against the seller's rate
    /// (R17). An order counts once however many of its cancellations count.</summary>
    public bool HasCountedCancellation => _cancellations.Any(c => c.CountsAgainstSellerRate);

    /// <summary>Events of changes not yet saved. The persistence layer appends them to the
    /// event log in the same transaction as the change and then clears them.</summary>
    public IReadOnlyList<OrderEvent> PendingEvents => _pendingEvents;

    /// <summary>The items in the order the marketplace gave them, whatever order the
    /// database returned them in.</summary>
    internal IEnumerable<OrderItem> ItemsInOrder => _items.OrderBy(item => item.Position).ThenBy(item => item.Id, StringComparer.Ordinal);

    /// <summary>When the order will be canceled automatically if nothing changes: 21 days
    /// after purchase while PENDING (R4), 7 days after the latest ship date while units
    /// are unshipped (R5); null otherwise.</summary>
    public DateTimeOffset? AutoCancelAt => Status switch
    {
        OrderStatus.Pending => PurchasedAt + PaymentVerificationLimit,
        OrderStatus.Unshipped or OrderStatus.PartiallyShipped => LatestShipDate + AutoCancelGrace,
        _ => null,
    };

    /// <summary>An order as the marketplace hands it over: PENDING, no address (R1).</summary>
    public static Order Create(NewOrder order, DateTimeOffset now)
    {
        if (!Currencies.IsSupported(order.CurrencyCode))
        {
            throw DomainException.Invalid("currency_code", "UNSUPPORTED_CURRENCY",
                $"Currency '{order.CurrencyCode}' is not supported; supported: {string.Join(", ", Currencies.Supported)}.");
        }

        if (order.PurchasedAt > now + ClockSkewAllowance)
        {
            throw DomainException.Invalid("purchase_time", "TIME_IN_FUTURE", "purchase_time is in the future.");
        }

        if (order.LatestShipDate < order.PurchasedAt)
        {
            throw DomainException.Invalid("latest_ship_time", "SHIP_DATE_BEFORE_PURCHASE",
                "latest_ship_time must not be before purchase_time.");
        }

        if (order.LatestShipDate > order.PurchasedAt + MaxShipWindow)
        {
            throw DomainException.Invalid("latest_ship_time", "SHIP_DATE_TOO_FAR",
                $"latest_ship_time must be within {MaxShipWindow.TotalDays:0} days of purchase_time.");
        }

        if (order.Items.Count == 0)
        {
            throw DomainException.Invalid("items", "NO_ITEMS", "An order needs at least one item.");
        }

        var seenItemIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < order.Items.Count; i++)
        {
            var item = order.Items[i];
            if (!seenItemIds.Add(item.OrderItemId))
            {
                throw DomainException.Invalid($"items[{i}].order_item_id", "DUPLICATE_ORDER_ITEM_ID",
                    $"order_item_id '{item.OrderItemId}' appears twice in the order.");
            }

            ValidateUnitCharges(item, i);
        }

        var created = new Order
        {
            Id = order.OrderId,
            SellerId = order.SellerId,
            BuyerId = order.BuyerId,
            Status = OrderStatus.Pending,
            CurrencyCode = order.CurrencyCode,
            PurchasedAt = order.PurchasedAt,
            LatestShipDate = order.LatestShipDate,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        created._items.AddRange(order.Items.Select((item, position) => new OrderItem(item, position)));
        created._pendingEvents.Add(new OrderEvent(OrderEventType.OrderCreated, now));
        return created;
    }

    /// <summary>PENDING -> UNSHIPPED: the address and contact appear (R3).</summary>
    public void AuthorizePayment(ShippingAddress address, BuyerContact contact, DateTimeOffset now)
    {
        if (IsPaymentExpired(now))
        {
            // R4: past 21 days the order is the marketplace's to cancel, whether or not
            // the expiry pass has reached it yet.
            throw new DomainException(ErrorKind.FailedPrecondition, "PAYMENT_VERIFICATION_EXPIRED",
                $"Payment verification ended 21 days after purchase ({Iso(PurchasedAt + PaymentVerificationLimit)}); the order is canceled by the marketplace (R4), not authorized.",
                metadata: new Dictionary<string, string> { ["expired_at"] = Iso(PurchasedAt + PaymentVerificationLimit) });
        }

        Status = OrderStateMachine.Target(Status, OrderAction.AuthorizePayment, OrderStatus.Unshipped);
        ShippingAddress = address;
        BuyerContact = contact;
        PaymentAuthorizedAt = now;
        Changed(new OrderEvent(OrderEventType.PaymentAuthorized, now));
    }

    public void ClearPendingEvents() => _pendingEvents.Clear();

    private static string Iso(DateTimeOffset instant) =>
        instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Looks up the items a request names, refusing unknown and repeated ones.</summary>
    /// <summary>The items <paramref name="lines"/> name, in their order; a line's quantity is
    /// the request's field <paramref name="quantityField"/> ("quantity", or "quantity_received"
    /// for a return).</summary>
    private List<OrderItem> ResolveItems(IReadOnlyList<ItemQuantity> lines, string field, string quantityField = "quantity")
    {
        if (lines.Count == 0)
        {
            throw DomainException.Invalid(field, "NO_LINES", $"{field} needs at least one line.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var resolved = new List<OrderItem>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Quantity <= 0)
            {
                throw DomainException.Invalid($"{field}[{i}].{quantityField}", "QUANTITY_NOT_POSITIVE", $"{quantityField} must be at least 1.");
            }

            if (!seen.Add(line.OrderItemId))
            {
                throw DomainException.Invalid($"{field}[{i}].order_item_id", "DUPLICATE_ORDER_ITEM_ID",
                    $"order_item_id '{line.OrderItemId}' appears twice; put all its units on one line.");
            }

            var item = _items.FirstOrDefault(candidate => candidate.Id == line.OrderItemId)
                ?? throw DomainException.Invalid($"{field}[{i}].order_item_id", "UNKNOWN_ORDER_ITEM",
                    $"The order has no item '{line.OrderItemId}'.");
            resolved.Add(item);
        }

        return resolved;
    }

    private static void ValidateUnitCharges(NewOrderItem item, int index)
    {
        var field = $"items[{index}]";
        if (item.Quantity <= 0)
        {
            throw DomainException.Invalid($"{field}.quantity", "QUANTITY_NOT_POSITIVE", "quantity must be at least 1.");
        }

        var components = new HashSet<ChargeComponent>();
        for (var c = 0; c < item.UnitCharges.Count; c++)
        {
            var charge = item.UnitCharges[c];
            var chargeField = $"{field}.unit_charges[{c}]";
            if (charge.Component.IsDeduction())
            {
                throw DomainException.Invalid($"{chargeField}.component", "DEDUCTION_NOT_A_CHARGE",
                    $"{charge.Component} is a refund deduction, not something a buyer is charged.");
            }

            if (!components.Add(charge.Component))
            {
                throw DomainException.Invalid($"{chargeField}.component", "DUPLICATE_CHARGE_COMPONENT",
                    $"{charge.Component} appears twice for item '{item.OrderItemId}'.");
            }

            if (charge.AmountMinor < 0)
            {
                throw DomainException.Invalid($"{chargeField}.amount", "NEGATIVE_AMOUNT", "A charge cannot be negative.");
            }
        }

        if (!components.Contains(ChargeComponent.Principal))
        {
            throw DomainException.Invalid($"{field}.unit_charges", "PRINCIPAL_REQUIRED",
                $"Item '{item.OrderItemId}' needs a PRINCIPAL charge.");
        }
    }

    private void Changed(OrderEvent orderEvent)
    {
        Version++;
        UpdatedAt = orderEvent.OccurredAt;
        _pendingEvents.Add(orderEvent);
    }
}
