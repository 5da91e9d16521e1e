namespace OrderService.Domain;

/// <summary>What happens instead of an address change (R40-R43). The numbers are those of
/// the contract's <c>AddressChangeOutcome</c>.</summary>
public enum AddressChangeOutcome
{
    /// <summary>Not shipped: the buyer cancels through the official route and orders again
    /// with an address where they can receive (R41, T4).</summary>
    CancelAndReorder = 1,
    /// <summary>Shipped: the seller asks the carrier to bring the package back and refunds,
    /// minus the return fee, when it is back (R42).</summary>
    CarrierReturn = 2,
    /// <summary>PENDING: only the marketplace's customer service can help (R2, T2).</summary>
    ContactCustomerService = 3,
}

/// <summary>Why the seller asks the carrier for the package back. The numbers are those of
/// the contract's <c>CarrierReturnCause</c>.</summary>
public enum CarrierReturnCause
{
    /// <summary>The buyer cannot receive at the order's address (R42).</summary>
    BuyerCannotReceive = 1,
    /// <summary>The buyer did not answer the seller (R43).</summary>
    BuyerNotResponding = 2,
}

/// <summary>The path a buyer's wish to receive elsewhere takes, and the reply to send.</summary>
/// <param name="ReplyTemplate">The template whose text fits, or null when none does. After
/// shipment it is the service's own T6: none of T1-T5 tells a buyer that the carrier brings
/// the package back (R42), and T3 ("return it after it arrives") would be wrong for a buyer
/// who cannot receive it.</param>
/// <param name="Rule">The rule the path follows, for messages and logs.</param>
public sealed record AddressChangeDecision(AddressChangeOutcome Outcome, ReplyTemplateId? ReplyTemplate, string Rule);

/// <summary>The seller's request that the carrier bring a shipped package back (R42, R43),
/// in progress until the package is recorded as received (<see cref="Order.RecordReturn"/>),
/// which refunds minus the return fee.</summary>
public sealed record CarrierReturnRequest(
    CarrierReturnCause Cause,
    string? Note,
    DateTimeOffset RequestedAt,
    DateTimeOffset? ReceivedAt = null,
    string? RefundId = null)
{
    /// <summary>Asked for and not yet back.</summary>
    public bool InProgress => ReceivedAt is null;
}

/// <summary>R40-R43 as a decision on the order's status alone: addresses are never edited
/// (R40), so the only question is which way round it goes.</summary>
public static class AddressChange
{
    /// <summary>PENDING: customer service (R2, T2). UNSHIPPED: cancel through the official
    /// route and order again (R41, T4). PARTIALLY_SHIPPED and SHIPPED: a package is on its
    /// way to the address, so the seller has the carrier bring it back (R42), no template;
    /// on a PARTIALLY_SHIPPED order the units not yet shipped are left to the buyer's
    /// official cancellation request (R13), which the seller answers with CancelItems (R14,
    /// R21). CANCELED: refused as everything is on a canceled order (R16, T5).</summary>
    public static AddressChangeDecision DecideFor(OrderStatus status)
    {
        OrderStateMachine.EnsureAllowed(status, OrderAction.RequestAddressChange);
        return status switch
        {
            OrderStatus.Pending => new(AddressChangeOutcome.ContactCustomerService, ReplyTemplateId.T2PendingContactCustomerService, "R2"),
            OrderStatus.Unshipped => new(AddressChangeOutcome.CancelAndReorder, ReplyTemplateId.T4CancelAndReorder, "R41"),
            OrderStatus.PartiallyShipped or OrderStatus.Shipped => new(AddressChangeOutcome.CarrierReturn, ReplyTemplateId.T6CarrierReturn, "R42"),
            _ => throw new InvalidOperationException($"The table allows RequestAddressChange in {status} but no path is decided for it."),
        };
    }
}
