namespace OrderService.Domain;

/// <summary>The order's lifecycle status (docs/domain-rules.md, "Order lifecycle and payment").</summary>
public enum OrderStatus
{
    Pending = 1,
    Unshipped = 2,
    PartiallyShipped = 3,
    Shipped = 4,
    Canceled = 5,
}

/// <summary>A component of an item's charge, or a deduction from a refund.</summary>
public enum ChargeComponent
{
    Principal = 1,
    Shipping = 2,
    Tax = 3,
    ShippingTax = 4,
    GiftWrap = 5,
    GiftWrapTax = 6,
    /// <summary>Deduction: kept back from a refund, never charged.</summary>
    RestockingFee = 7,
    /// <summary>Deduction: the return fee of R42/R43.</summary>
    ReturnShipping = 8,
}

public static class ChargeComponents
{
    /// <summary>Deductions reduce a refund; they are never part of what an item was charged.</summary>
    public static bool IsDeduction(this ChargeComponent component) =>
        component is ChargeComponent.RestockingFee or ChargeComponent.ReturnShipping;
}

/// <summary>Cancellation reason codes: the marketplace feed's eleven, then the two the
/// service sets itself for automatic cancellations.</summary>
public enum CancelReason
{
    NoInventory = 1,
    ShippingAddressUndeliverable = 2,
    CustomerExchange = 3,
    BuyerCanceled = 4,
    GeneralAdjustment = 5,
    CarrierCreditDecision = 6,
    RiskAssessmentInformationNotValid = 7,
    CarrierCoverageFailure = 8,
    CustomerReturn = 9,
    MerchandiseNotReceived = 10,
    PricingError = 11,
    /// <summary>Service only: R5 auto-cancel.</summary>
    ShipDateMissed = 12,
    /// <summary>Service only: R4 payment expiry.</summary>
    PaymentNotAuthorized = 13,
}

/// <summary>Refund reason codes of the marketplace's order adjustment feed.</summary>
public enum AdjustmentReason
{
    NoInventory = 1,
    CustomerReturn = 2,
    GeneralAdjustment = 3,
    CouldNotShip = 4,
    DifferentItem = 5,
    Abandoned = 6,
    CustomerCancel = 7,
    PriceError = 8,
    ProductOutOfStock = 9,
    CustomerAddressIncorrect = 10,
    Exchange = 11,
    Other = 12,
    CarrierCreditDecision = 13,
    RiskAssessmentInformationNotValid = 14,
    CarrierCoverageFailure = 15,
    TransactionRecord = 16,
    Undeliverable = 17,
    RefusedDelivery = 18,
}

/// <summary>Who asked for a cancellation (R18).</summary>
public enum CancellationRequester
{
    BuyerOfficial = 1,
    BuyerMessage = 2,
    Seller = 3,
    Marketplace = 4,
}

/// <summary>Who carried a cancellation out (R18).</summary>
public enum CancellationExecutor
{
    Seller = 1,
    Marketplace = 2,
    Automatic = 3,
}

/// <summary>What the buyer's official cancellation request led to (R13).</summary>
public enum BuyerCancellationOutcome
{
    /// <summary>The order was PENDING: the marketplace canceled it at once, and it does not
    /// count against the seller (R17).</summary>
    CanceledByMarketplace = 1,
    /// <summary>The request is on the order and the seller is told; the seller cancels it
    /// with reason BuyerCanceled (R14) or ships.</summary>
    RequestRecorded = 2,
}

/// <summary>What happened to an order; each is one row of the event log that the
/// notification stream delivers from.</summary>
public enum OrderEventType
{
    OrderCreated = 1,
    PaymentAuthorized = 2,
    ShipmentConfirmed = 3,
    BuyerCancellationRequested = 4,
    OrderCanceled = 5,
    ItemsCanceled = 6,
    AutoCancelWarning = 7,
    RefundIssued = 8,
    ReturnRecorded = 9,
    CarrierReturnRequested = 10,
    AddressChangeRequested = 11,
}
