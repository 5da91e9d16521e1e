namespace OrderService.Domain;

/// <summary>Cancellation by the seller and at the buyer's request (R2, R10-R16, R18).</summary>
public sealed partial class Order
{
    /// <summary>The seller cancels the whole UNSHIPPED order (R10). Refused while PENDING
    /// (R2), once units shipped (R12, or CancelItems while some are left) and once canceled
    /// (R16). Returns the act recorded, attributed as <see cref="PreviewSellerCancellation"/>
    /// describes.</summary>
    public CancellationAct CancelBySeller(CancelReason reason, CancellationRequester requester, string? note, DateTimeOffset now) =>
        CancelUnshippedUnits(PreviewSellerCancellation(reason, requester, note, now), OrderAction.CancelOrder, now);

    /// <summary>What <see cref="CancelBySeller"/> would record, with the same checks, changing
    /// nothing (validate_only). The seller may say only that it cancels on its own
    /// initiative or in answer to a buyer's message; the service sets the other requesters
    /// itself. When the buyer asked through the official route, the buyer is recorded as the
    /// requester whatever the seller says, and the cancellation does not count against the
    /// seller if its reason is BuyerCanceled (R14). Every other seller cancellation counts,
    /// a buyer's message included (R15).</summary>
    public CancellationAttribution PreviewSellerCancellation(CancelReason reason, CancellationRequester requester, string? note, DateTimeOffset now)
    {
        // Wrong whatever the order's state: checked first, so the same request gets the
        // same answer in every state.
        EnsureSellerCancellationArguments(reason, requester);
        OrderStateMachine.EnsureAllowed(Status, OrderAction.CancelOrder);
        return AttributeSellerCancellation(reason, requester, note, now);
    }

    /// <summary>The reason and requester a seller may give, for a whole order (R10) or some
    /// of its units (R21) alike.</summary>
    private static void EnsureSellerCancellationArguments(CancelReason reason, CancellationRequester requester)
    {
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
    }

    /// <summary>Who asked and whether it counts, for a seller's cancellation of the whole
    /// order or of some units: the buyer's official request makes the buyer the requester,
    /// and only BuyerCanceled then keeps it off the seller's rate (R14, R15, R17, R18).</summary>
    private CancellationAttribution AttributeSellerCancellation(CancelReason reason, CancellationRequester requester, string? note, DateTimeOffset now)
    {
        var officialRequest = BuyerCancellationRequest is not null;
        return new CancellationAttribution(
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
            var cancellation = new CancellationAttribution(
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


    /// <summary>R21: the seller cancels some unshipped units of an UNSHIPPED or
    /// PARTIALLY_SHIPPED order, and the buyer gets back exactly what those units were
    /// charged: per component, the unit charge times the units (charges are per unit, so
    /// this is exact; nothing is split or rounded). The act is attributed exactly as
    /// <see cref="CancelBySeller"/>'s (R14, R15, R17, R18), an official buyer request
    /// included. Canceling every unit that remains makes an order with nothing shipped
    /// CANCELED (a whole-order act, event ORDER_CANCELED) and a PARTIALLY_SHIPPED one
    /// SHIPPED (its shipped units may still be returned, so it is not hidden as CANCELED);
    /// otherwise the status stays and the event is ITEMS_CANCELED.</summary>
    public ItemsCancellation CancelItems(
        IReadOnlyList<ItemQuantity> items,
        CancelReason reason,
        CancellationRequester requester,
        string? note,
        DateTimeOffset now)
    {
        // Argument mistakes first: the same request gets the same answer in every state.
        EnsureSellerCancellationArguments(reason, requester);
        var resolved = ResolveItems(items, "items");
        OrderStateMachine.EnsureAllowed(Status, OrderAction.CancelItems);

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Quantity > resolved[i].QuantityUnshipped)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_UNSHIPPED",
                    $"Item '{resolved[i].Id}' has {resolved[i].QuantityUnshipped} unshipped unit(s); cannot cancel {items[i].Quantity}. Shipped units are returned and refunded, not canceled (R12, R24).",
                    $"items[{i}].quantity",
                    new Dictionary<string, string>
                    {
                        ["order_item_id"] = resolved[i].Id,
                        ["quantity_unshipped"] = Text(resolved[i].QuantityUnshipped),
                    });
            }
        }

        var attribution = AttributeSellerCancellation(reason, requester, note, now);
        var charges = items
            .Select((line, i) => new CanceledCharges(
                line.OrderItemId,
                line.Quantity,
                resolved[i].UnitCharges
                    .Select(charge => new ChargeAmount(charge.Component, new Money(checked(charge.AmountMinor * line.Quantity), CurrencyCode)))
                    .ToList()))
            .ToList();

        var unitsLeft = _items.Sum(item => item.QuantityUnshipped) - items.Sum(line => line.Quantity);
        var anyShipped = _items.Any(item => item.QuantityShipped > 0);
        var computed = unitsLeft > 0 ? Status : anyShipped ? OrderStatus.Shipped : OrderStatus.Canceled;
        var next = OrderStateMachine.Target(Status, OrderAction.CancelItems, computed);

        for (var i = 0; i < items.Count; i++)
        {
            resolved[i].CancelUnits(items[i].Quantity);
        }

        Status = next;
        var wholeOrder = next == OrderStatus.Canceled;
        var act = new CancellationAct("can_" + Guid.CreateVersion7(now).ToString("N"), attribution, wholeOrder, items);
        _cancellations.Add(act);
        Changed(new OrderEvent(wholeOrder ? OrderEventType.OrderCanceled : OrderEventType.ItemsCanceled, now, attribution));
        return new ItemsCancellation(act, charges);
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Cancels every unshipped unit and records the act (R18). With no unit shipped
    /// the order becomes CANCELED; with shipped units it becomes SHIPPED (they may still be
    /// returned and refunded, so the order is not hidden as CANCELED).</summary>
    private CancellationAct CancelUnshippedUnits(CancellationAttribution attribution, OrderAction action, DateTimeOffset now)
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
        var act = new CancellationAct("can_" + Guid.CreateVersion7(now).ToString("N"), attribution, wholeOrder, lines);
        _cancellations.Add(act);
        Changed(new OrderEvent(wholeOrder ? OrderEventType.OrderCanceled : OrderEventType.ItemsCanceled, now, attribution));
        return act;
    }
}
