namespace OrderService.Domain;

/// <summary>The automatic cancellations (R4, R5) and the seller's warning before one.</summary>
public sealed partial class Order
{
    /// <summary>R4: whether the order is PENDING and 21 days have passed since purchase, so
    /// that <see cref="ExpireUnauthorizedPayment"/> would cancel it.</summary>
    public bool IsPaymentExpired(DateTimeOffset now) =>
        Status == OrderStatus.Pending && now >= PurchasedAt + PaymentVerificationLimit;

    /// <summary>R4: payment was not authorized within 21 days, so the marketplace cancels the
    /// order. Not the seller's doing: it never counts against the seller (R17). Refused
    /// before it is due (<c>NOT_DUE</c>), so an early or clock-skewed run changes nothing.</summary>
    public void ExpireUnauthorizedPayment(DateTimeOffset now) =>
        CancelAutomatically(OrderAction.ExpireUnauthorizedPayment, PurchasedAt + PaymentVerificationLimit, "Payment expiry (R4)",
            CancelReason.PaymentNotAuthorized, CancellationExecutor.Marketplace, countsAgainstSeller: false, now);

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
    public void AutoCancelForMissedShipDate(DateTimeOffset now) =>
        CancelAutomatically(OrderAction.AutoCancelForMissedShipDate, LatestShipDate + AutoCancelGrace, "Auto-cancel for a missed ship date (R5)",
            CancelReason.ShipDateMissed, CancellationExecutor.Automatic, countsAgainstSeller: true, now);

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

    /// <summary>The one way an automatic cancellation happens (R4, R5): allowed by the
    /// transition table, due, and asked for by nobody, so the marketplace's rule is recorded
    /// as the requester (R18).</summary>
    private void CancelAutomatically(
        OrderAction action,
        DateTimeOffset dueAt,
        string what,
        CancelReason reason,
        CancellationExecutor executor,
        bool countsAgainstSeller,
        DateTimeOffset now)
    {
        OrderStateMachine.EnsureAllowed(Status, action);
        EnsureDue(dueAt, now, what);
        var attribution = new CancellationAttribution(reason, CancellationRequester.Marketplace, executor, countsAgainstSeller, now, Note: null);
        CancelUnshippedUnits(attribution, action, now);
    }
}
