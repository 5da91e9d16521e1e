namespace OrderService.Domain;

/// <summary>The order aggregate. Every change goes through a method here that consults
/// <see cref="OrderStateMachine"/>, bumps <see cref="Version"/> (the optimistic
/// concurrency token) and records an <see cref="OrderEvent"/> for the event log.</summary>
public sealed class Order
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
    private readonly List<CancellationRecord> _cancellations = [];
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

    /// <summary>Set when the order is CANCELED: the act that canceled it as a whole (the
    /// contract's <c>Order.cancellation</c>). Every act, partial ones included, is in
    /// <see cref="Cancellations"/>.</summary>
    public Cancellation? Cancellation { get; private set; }

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
    public IReadOnlyList<CancellationRecord> Cancellations => _cancellations;

    /// <summary>Whether any cancellation of this order counts against the seller's rate
    /// (R17). An order counts once however many of its cancellations count.</summary>
    public bool HasCountedCancellation => _cancellations.Any(c => c.CountsAgainstSellerRate);

    /// <summary>Events of changes not yet saved. The persistence layer appends them to the
    /// event log in the same transaction as the change and then clears them.</summary>
    public IReadOnlyList<OrderEvent> PendingEvents => _pendingEvents;

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
        created._items.AddRange(order.Items.Select(item => new OrderItem(item)));
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

    /// <summary>The seller cancels the whole UNSHIPPED order (R10). Refused while PENDING
    /// (R2), once units shipped (R12, or CancelItems while some are left) and once canceled
    /// (R16). Returns the cancellation recorded, attributed as
    /// <see cref="PreviewSellerCancellation"/> describes.</summary>
    public Cancellation CancelBySeller(CancelReason reason, CancellationRequester requester, string? note, DateTimeOffset now)
    {
        var cancellation = PreviewSellerCancellation(reason, requester, note, now);
        CancelUnshippedUnits(cancellation, OrderAction.CancelOrder, now);
        return cancellation;
    }

    /// <summary>What <see cref="CancelBySeller"/> would record, with the same checks, changing
    /// nothing (validate_only). The seller may say only that it cancels on its own
    /// initiative or in answer to a buyer's message; the service sets the other requesters
    /// itself. When the buyer asked through the official route, the buyer is recorded as the
    /// requester whatever the seller says, and the cancellation does not count against the
    /// seller if its reason is BuyerCanceled (R14). Every other seller cancellation counts,
    /// a buyer's message included (R15).</summary>
    public Cancellation PreviewSellerCancellation(CancelReason reason, CancellationRequester requester, string? note, DateTimeOffset now)
    {
        // Wrong whatever the order's state: checked first, so the same request gets the
        // same answer in every state.
        if (!Enum.IsDefined(reason))
        {
            throw DomainException.Invalid("reason", "REASON_REQUIRED", "A cancellation needs a reason code (R10).");
        }

        if (reason is CancelReason.ShipDateMissed or CancelReason.PaymentNotAuthorized)
        {
            throw DomainException.Invalid("reason", "REASON_RESERVED",
                $"{reason} is set only by the service for automatic cancellations (R4, R5); choose one of the cancellation feed's reason codes.");
        }

        if (requester is not (CancellationRequester.Seller or CancellationRequester.BuyerMessage))
        {
            throw DomainException.Invalid("requester", "REQUESTER_NOT_ALLOWED",
                $"A seller cancels on its own initiative (Seller) or in answer to a buyer's message (BuyerMessage); {requester} is recorded only by the service (R18).");
        }

        OrderStateMachine.EnsureAllowed(Status, OrderAction.CancelOrder);

        var officialRequest = BuyerCancellationRequest is not null;
        return new Cancellation(
            reason,
            officialRequest ? CancellationRequester.BuyerOfficial : requester,
            CancellationExecutor.Seller,
            CountsAgainstSellerRate: !(officialRequest && reason == CancelReason.BuyerCanceled),
            now,
            string.IsNullOrWhiteSpace(note) ? null : note);
    }

    /// <summary>The buyer asks to cancel through the official route (R13). A PENDING order
    /// has nothing for the seller to act on, so the marketplace cancels it at once, and that
    /// never counts against the seller (R17). Otherwise the request is put on the order for
    /// the seller, who is notified through the event; one request at a time. A shipped order
    /// is refused with the way forward (R12, T3), a canceled one too (R16).</summary>
    public BuyerCancellationOutcome RequestCancellationByBuyer(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("reason", "REASON_REQUIRED", "The buyer's reason is shown to the seller (R13); it is required.");
        }

        OrderStateMachine.EnsureAllowed(Status, OrderAction.RequestCancellation);

        if (Status == OrderStatus.Pending)
        {
            var cancellation = new Cancellation(
                CancelReason.BuyerCanceled,
                CancellationRequester.BuyerOfficial,
                CancellationExecutor.Marketplace,
                CountsAgainstSellerRate: false,
                now,
                Note: null);
            CancelUnshippedUnits(cancellation, OrderAction.RequestCancellation, now);
            BuyerCancellationRequest = new BuyerCancellationRequest(reason, now);
            return BuyerCancellationOutcome.CanceledByMarketplace;
        }

        if (BuyerCancellationRequest is not null)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "CANCELLATION_ALREADY_REQUESTED",
                "The buyer has already asked to cancel this order; the seller has been told and answers that request.",
                metadata: new Dictionary<string, string>
                {
                    ["buyer_cancellation_requested_at"] = Iso(BuyerCancellationRequest.RequestedAt),
                });
        }

        Status = OrderStateMachine.Target(Status, OrderAction.RequestCancellation, Status);
        BuyerCancellationRequest = new BuyerCancellationRequest(reason, now);
        Changed(new OrderEvent(OrderEventType.BuyerCancellationRequested, now));
        return BuyerCancellationOutcome.RequestRecorded;
    }

    /// <summary>R4: whether the order is PENDING and 21 days have passed since purchase, so
    /// that <see cref="ExpireUnauthorizedPayment"/> would cancel it.</summary>
    public bool IsPaymentExpired(DateTimeOffset now) =>
        Status == OrderStatus.Pending && now >= PurchasedAt + PaymentVerificationLimit;

    /// <summary>R4: payment was not authorized within 21 days, so the marketplace cancels the
    /// order. Not the seller's doing: it never counts against the seller (R17). Refused
    /// before it is due (<c>NOT_DUE</c>), so an early or clock-skewed run changes nothing.</summary>
    public void ExpireUnauthorizedPayment(DateTimeOffset now)
    {
        OrderStateMachine.EnsureAllowed(Status, OrderAction.ExpireUnauthorizedPayment);
        EnsureDue(PurchasedAt + PaymentVerificationLimit, now, "Payment expiry (R4)");
        var cancellation = new Cancellation(
            CancelReason.PaymentNotAuthorized,
            CancellationRequester.Marketplace,
            CancellationExecutor.Marketplace,
            CountsAgainstSellerRate: false,
            now,
            Note: null);
        CancelUnshippedUnits(cancellation, OrderAction.ExpireUnauthorizedPayment, now);
    }

    /// <summary>R5: whether units are still unshipped 7 days after the latest ship date, so
    /// that <see cref="AutoCancelForMissedShipDate"/> would cancel them.</summary>
    public bool IsShipDateMissed(DateTimeOffset now) =>
        Status is OrderStatus.Unshipped or OrderStatus.PartiallyShipped && now >= LatestShipDate + AutoCancelGrace;

    /// <summary>R5: units still unshipped 7 days after the latest ship date are canceled
    /// automatically. An UNSHIPPED order becomes CANCELED; a PARTIALLY_SHIPPED one keeps its
    /// shipped units and becomes SHIPPED. Nobody asked for it: the marketplace's rule is the
    /// requester, the service the executor, and it counts against the seller, whose failure
    /// to ship it is (R17), even when the buyer had asked to cancel (the seller could have
    /// canceled it for free, R14). Refused before it is due (<c>NOT_DUE</c>).</summary>
    public void AutoCancelForMissedShipDate(DateTimeOffset now)
    {
        OrderStateMachine.EnsureAllowed(Status, OrderAction.AutoCancelForMissedShipDate);
        EnsureDue(LatestShipDate + AutoCancelGrace, now, "Auto-cancel for a missed ship date (R5)");
        var cancellation = new Cancellation(
            CancelReason.ShipDateMissed,
            CancellationRequester.Marketplace,
            CancellationExecutor.Automatic,
            CountsAgainstSellerRate: true,
            now,
            Note: null);
        CancelUnshippedUnits(cancellation, OrderAction.AutoCancelForMissedShipDate, now);
    }

    /// <summary>When the seller should be warned of the coming auto-cancel (R5):
    /// <paramref name="leadTime"/> before it. Null when no warning is due: nothing unshipped
    /// is waiting for its ship date (a PENDING order expires instead, R4), or the warning was
    /// already given.</summary>
    public DateTimeOffset? AutoCancelWarningDueAt(TimeSpan leadTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leadTime, TimeSpan.Zero);
        return Status is OrderStatus.Unshipped or OrderStatus.PartiallyShipped && AutoCancelWarnedAt is null
            ? LatestShipDate + AutoCancelGrace - leadTime
            : null;
    }

    /// <summary>Warns the seller, once, that the unshipped units will be auto-canceled (R5),
    /// so that they ship or cancel first. Allowed exactly where the auto-cancel is; a second
    /// warning is refused (<c>ALREADY_WARNED</c>) so that a re-run scheduler never sends two.</summary>
    public void WarnOfAutoCancel(DateTimeOffset now)
    {
        OrderStateMachine.EnsureAllowed(Status, OrderAction.AutoCancelForMissedShipDate);
        if (AutoCancelWarnedAt is { } warnedAt)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "ALREADY_WARNED",
                "The seller has already been warned of this order's auto-cancel.",
                metadata: new Dictionary<string, string> { ["warned_at"] = Iso(warnedAt) });
        }

        AutoCancelWarnedAt = now;
        Changed(new OrderEvent(OrderEventType.AutoCancelWarning, now));
    }

    public void ClearPendingEvents() => _pendingEvents.Clear();

    /// <summary>Refuses an automatic cancellation run before its time.</summary>
    private static void EnsureDue(DateTimeOffset dueAt, DateTimeOffset now, string what)
    {
        if (now < dueAt)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "NOT_DUE",
                $"{what} is not due before {Iso(dueAt)}.",
                metadata: new Dictionary<string, string> { ["due_at"] = Iso(dueAt) });
        }
    }

    private static string Iso(DateTimeOffset instant) =>
        instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Cancels every unshipped unit and records the act (R18). With no unit shipped
    /// the order becomes CANCELED; with shipped units it becomes SHIPPED (they may still be
    /// returned and refunded, so the order is not hidden as CANCELED).</summary>
    private void CancelUnshippedUnits(Cancellation cancellation, OrderAction action, DateTimeOffset now)
    {
        var wholeOrder = _items.All(item => item.QuantityShipped == 0);
        var next = OrderStateMachine.Target(Status, action, wholeOrder ? OrderStatus.Canceled : OrderStatus.Shipped);
        var lines = _items
            .Where(item => item.QuantityUnshipped > 0)
            .Select(item => new ItemQuantity(item.Id, item.QuantityUnshipped))
            .ToList();

        foreach (var line in lines)
        {
            _items.Single(item => item.Id == line.OrderItemId).CancelUnits(line.Quantity);
        }

        Status = next;
        _cancellations.Add(new CancellationRecord("can_" + Guid.CreateVersion7(now).ToString("N"), cancellation, wholeOrder, lines));
        if (wholeOrder)
        {
            Cancellation = cancellation;
        }

        Changed(new OrderEvent(wholeOrder ? OrderEventType.OrderCanceled : OrderEventType.ItemsCanceled, now, cancellation));
    }

    /// <summary>Looks up the items a request names, refusing unknown and repeated ones.</summary>
    private List<OrderItem> ResolveItems(IReadOnlyList<ItemQuantity> lines, string field)
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
                throw DomainException.Invalid($"{field}[{i}].quantity", "QUANTITY_NOT_POSITIVE", "quantity must be at least 1.");
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
