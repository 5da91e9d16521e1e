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
