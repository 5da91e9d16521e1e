namespace OrderService.Domain;

/// <summary>A buyer who cannot receive at the order's address (R40-R43).</summary>
public sealed partial class Order
{
    /// <summary>The latest request that the carrier bring the package back (R42, R43); null
    /// when there was none. <see cref="CarrierReturnRequest.InProgress"/> until
    /// <see cref="RecordReturn"/> records the package back. The status does not change: the
    /// contract's five statuses are the order's units, and the units are still shipped while
    /// the package travels back.</summary>
    public CarrierReturnRequest? CarrierReturn { get; private set; }

    /// <summary>Whether a carrier return is on its way back (R42, R43).</summary>
    public bool IsCarrierReturnInProgress => CarrierReturn is { InProgress: true };

    /// <summary>What applies to the buyer's wish to receive elsewhere, in the order's
    /// current status (<see cref="AddressChange.DecideFor"/>). Changes nothing.</summary>
    public AddressChangeDecision DecideAddressChange() => AddressChange.DecideFor(Status);

    /// <summary>The buyer says they cannot receive at the order's address. The address is
    /// never changed (R40); the seller is told (event ADDRESS_CHANGE_REQUESTED) and the
    /// answer is the path of <see cref="AddressChange.DecideFor"/> with its template.</summary>
    public AddressChangeDecision RequestAddressChange(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("reason", "REASON_REQUIRED", "Why the buyer cannot receive at the address is shown to the seller; it is required.");
        }

        var decision = AddressChange.DecideFor(Status);
        Status = OrderStateMachine.Target(Status, OrderAction.RequestAddressChange, Status);
        Changed(new OrderEvent(OrderEventType.AddressChangeRequested, now, Reason: reason));
        return decision;
    }

    /// <summary>R42, R43: the seller asks the carrier to bring a shipped package back, because
    /// the buyer cannot receive at the address or has not answered. The carrier return is
    /// then in progress until <see cref="RecordReturn"/> records what came back and refunds
    /// it minus the return fee. One at a time; refused when every shipped unit is back
    /// already. Event CARRIER_RETURN_REQUESTED.</summary>
    public CarrierReturnRequest RequestCarrierReturn(CarrierReturnCause cause, string? note, DateTimeOffset now)
    {
        if (!Enum.IsDefined(cause))
        {
            throw DomainException.Invalid("cause", "CAUSE_REQUIRED",
                "Say why the package comes back: the buyer cannot receive (R42) or is not responding (R43).");
        }

        OrderStateMachine.EnsureAllowed(Status, OrderAction.RequestCarrierReturn);

        if (CarrierReturn is { InProgress: true } open)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "CARRIER_RETURN_IN_PROGRESS",
                "The carrier has already been asked to bring the package back; record it with RecordReturn when it arrives (R42).",
                metadata: new Dictionary<string, string>
                {
                    ["carrier_return_requested_at"] = Iso(open.RequestedAt),
                    ["use_instead"] = "orderservice.v1.RefundService/RecordReturn",
                });
        }

        if (_items.All(item => item.QuantityShipped - QuantityReturned(item.Id) == 0))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "NOTHING_TO_RETURN",
                "Every shipped unit has already come back (R23); there is no package for the carrier to return.");
        }

        Status = OrderStateMachine.Target(Status, OrderAction.RequestCarrierReturn, Status);
        CarrierReturn = new CarrierReturnRequest(cause, string.IsNullOrWhiteSpace(note) ? null : note, now);
        Changed(new OrderEvent(OrderEventType.CarrierReturnRequested, now));
        return CarrierReturn;
    }
}
