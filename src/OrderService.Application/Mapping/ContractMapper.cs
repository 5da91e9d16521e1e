using Google.Protobuf.WellKnownTypes;
using OrderService.Domain;
using Api = OrderService.Contracts.V1;

namespace OrderService.Application.Mapping;

/// <summary>Domain to contract: the one place a domain object becomes a contract message.
/// The enums of both share numbers and names (a test checks it), so they convert by value.</summary>
public static class ContractMapper
{
    public static Api.Order ToProto(Order order)
    {
        var proto = new Api.Order
        {
            OrderId = order.Id,
            SellerId = order.SellerId,
            BuyerId = order.BuyerId,
            Status = (Api.OrderStatus)order.Status,
            CurrencyCode = order.CurrencyCode,
            PurchaseTime = Timestamp.FromDateTimeOffset(order.PurchasedAt),
            LatestShipTime = Timestamp.FromDateTimeOffset(order.LatestShipDate),
            PaymentAuthorizeTime = ToProto(order.PaymentAuthorizedAt),
            CreateTime = Timestamp.FromDateTimeOffset(order.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(order.UpdatedAt),
            Etag = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AutoCancelTime = ToProto(order.AutoCancelAt),
        };
        // Every collection in a fixed order, whatever order the database returned the rows
        // in: the same order must always render the same message (stored views, etags).
        proto.Items.AddRange(order.Items.OrderBy(item => item.Position).ThenBy(item => item.Id, StringComparer.Ordinal)
            .Select(item => ToProto(item, order.CurrencyCode)));
        proto.Shipments.AddRange(order.Shipments.OrderBy(s => s.ShippedAt).ThenBy(s => s.Id, StringComparer.Ordinal).Select(ToProto));

        // R1: nothing about where or who the buyer is while payment is being verified,
        // whoever asks. The domain holds none then either; this keeps it so in the contract.
        if (order.Status != OrderStatus.Pending)
        {
            proto.ShippingAddress = ToProto(order.ShippingAddress);
            proto.BuyerContact = ToProto(order.BuyerContact);
        }

        if (order.BuyerCancellationRequest is { } request)
        {
            proto.BuyerCancellationRequest = new Api.BuyerCancellationRequest
            {
                Reason = request.Reason,
                RequestTime = Timestamp.FromDateTimeOffset(request.RequestedAt),
            };
        }

        // R18: every act, partial ones included, oldest first; the whole-order act that made
        // the order CANCELED is also Order.cancellation.
        proto.Cancellations.AddRange(order.Cancellations.OrderBy(c => c.CanceledAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(ToProto));
        proto.Cancellation = order.Cancellation is { } whole ? ToProto(whole) : null;
        return proto;
    }

    public static Api.Shipment ToProto(Shipment shipment)
    {
        var proto = new Api.Shipment
        {
            ShipmentId = shipment.Id,
            Carrier = shipment.Carrier,
            TrackingNumber = shipment.TrackingNumber,
            ShipTime = Timestamp.FromDateTimeOffset(shipment.ShippedAt),
        };
        proto.Lines.AddRange(shipment.Lines.OrderBy(line => line.OrderItemId, StringComparer.Ordinal).Select(line =>
            new Api.ShipmentLine { OrderItemId = line.OrderItemId, Quantity = line.Quantity }));
        return proto;
    }

    public static Api.Cancellation? ToProto(CancellationAttribution? cancellation) => cancellation is null
        ? null
        : new Api.Cancellation
        {
            Reason = (Api.CancelReason)cancellation.Reason,
            Requester = (Api.CancellationRequester)cancellation.Requester,
            Executor = (Api.CancellationExecutor)cancellation.Executor,
            CountsAgainstSellerRate = cancellation.CountsAgainstSellerRate,
            CancelTime = Timestamp.FromDateTimeOffset(cancellation.CanceledAt),
            Note = cancellation.Note ?? "",
        };

    /// <summary>One act of cancellation with what it canceled (R18).</summary>
    public static Api.Cancellation ToProto(CancellationAct act) =>
        ToProto(act.Attribution, act.WholeOrder,
            act.Lines.OrderBy(l => l.OrderItemId, StringComparer.Ordinal).Select(l => new ItemQuantity(l.OrderItemId, l.Quantity)));

    /// <summary>The effect of one cancellation on the seller's 7-day rate (R17).</summary>
    public static Api.CancellationRateImpact ToProto(CancellationRate.RateImpact impact) => new()
    {
        CountsAgainstSellerRate = impact.CountsAgainstSellerRate,
        RateBeforeBasisPoints = impact.RateBeforeBasisPoints,
        RateAfterBasisPoints = impact.RateAfterBasisPoints,
        TargetBasisPoints = impact.TargetBasisPoints,
        CrossesTarget = impact.CrossesTarget,
    };

    /// <summary>The attribution of a cancellation and the units it cancels, for a
    /// cancellation that is not (yet) a record: the one validate_only previews.</summary>
    public static Api.Cancellation ToProto(CancellationAttribution cancellation, bool wholeOrder, IEnumerable<ItemQuantity> units)
    {
        var proto = ToProto(cancellation)!;
        proto.WholeOrder = wholeOrder;
        proto.Units.AddRange(units.Select(u => new Api.CanceledUnits { OrderItemId = u.OrderItemId, Quantity = u.Quantity }));
        return proto;
    }

    /// <summary>A refund of the order (R20, R23).</summary>
    public static Api.Refund ToProto(Refund refund, string orderId) =>
        ToProto(refund.Id, orderId, refund.Reason, refund.CurrencyCode, refund.RefundedAt, refund.Lines);

    /// <summary>A refund from its parts, as an event's payload keeps them.</summary>
    public static Api.Refund ToProto(
        string refundId, string orderId, AdjustmentReason reason, string currencyCode, DateTimeOffset refundedAt, IReadOnlyList<RefundLine> lines)
    {
        var proto = new Api.Refund
        {
            RefundId = refundId,
            OrderId = orderId,
            Reason = (Api.AdjustmentReason)reason,
            Total = ToMoney(lines.Sum(line => line.NetMinorUnits), currencyCode),
            CreateTime = Timestamp.FromDateTimeOffset(refundedAt),
        };
        proto.Items.AddRange(lines.Select(line => new Api.ItemRefund
        {
            OrderItemId = line.OrderItemId,
            Amounts = { line.Amounts.OrderBy(a => a.Component).Select(ToProto) },
            Deductions = { line.Deductions.OrderBy(d => d.Component).Select(ToProto) },
        }));
        return proto;
    }

    /// <summary>The money of the units CancelItems canceled (R21), as the contract's refund:
    /// its id is the cancellation act's, its reason the cancellation's where the adjustment
    /// codes have the same one (OTHER otherwise). It is not a refund of shipped units, so
    /// ListRefunds does not list it (R24).</summary>
    public static Api.Refund ToProto(ItemsCancellation canceled, string orderId, string currencyCode)
    {
        var proto = new Api.Refund
        {
            RefundId = canceled.Act.Id,
            OrderId = orderId,
            Reason = AdjustmentReasonOf(canceled.Act.Attribution.Reason),
            Total = ToMoney(canceled.TotalMinorUnits, currencyCode),
            CreateTime = Timestamp.FromDateTimeOffset(canceled.Act.CanceledAt),
        };
        proto.Items.AddRange(canceled.Charges.OrderBy(c => c.OrderItemId, StringComparer.Ordinal).Select(charges => new Api.ItemRefund
        {
            OrderItemId = charges.OrderItemId,
            Amounts = { charges.Amounts.OrderBy(a => a.Component).Select(ToProto) },
        }));
        return proto;
    }

    /// <summary>R24: charged, refunded and refundable per item and component.</summary>
    public static Api.GetRefundableAmountsResponse ToProto(RefundableAmounts amounts)
    {
        var proto = new Api.GetRefundableAmountsResponse { CurrencyCode = amounts.CurrencyCode };
        proto.Items.AddRange(amounts.Items.Select(item => new Api.ItemRefundable
        {
            OrderItemId = item.OrderItemId,
            QuantityShipped = item.QuantityShipped,
            QuantityUnshipped = item.QuantityUnshipped,
            QuantityReturned = item.QuantityReturned,
            Components =
            {
                item.Components.OrderBy(c => c.Component).Select(c => new Api.ComponentRefundable
                {
                    Component = (Api.ChargeComponent)c.Component,
                    Charged = ToMoney(c.Charged.MinorUnits, amounts.CurrencyCode),
                    Refunded = ToMoney(c.Refunded.MinorUnits, amounts.CurrencyCode),
                    Refundable = ToMoney(c.Refundable.MinorUnits, amounts.CurrencyCode),
                    Cancelable = ToMoney(c.Cancelable.MinorUnits, amounts.CurrencyCode),
                }),
            },
        }));
        return proto;
    }

    /// <summary>The adjustment code that says the same as a cancellation reason.</summary>
    private static Api.AdjustmentReason AdjustmentReasonOf(CancelReason reason) => reason switch
    {
        CancelReason.NoInventory => Api.AdjustmentReason.NoInventory,
        CancelReason.ShippingAddressUndeliverable => Api.AdjustmentReason.CustomerAddressIncorrect,
        CancelReason.CustomerExchange => Api.AdjustmentReason.Exchange,
        CancelReason.BuyerCanceled => Api.AdjustmentReason.CustomerCancel,
        CancelReason.GeneralAdjustment => Api.AdjustmentReason.GeneralAdjustment,
        CancelReason.CarrierCreditDecision => Api.AdjustmentReason.CarrierCreditDecision,
        CancelReason.RiskAssessmentInformationNotValid => Api.AdjustmentReason.RiskAssessmentInformationNotValid,
        CancelReason.CustomerReturn => Api.AdjustmentReason.CustomerReturn,
        CancelReason.PricingError => Api.AdjustmentReason.PriceError,
        CancelReason.CarrierCoverageFailure => Api.AdjustmentReason.CarrierCoverageFailure,
        _ => Api.AdjustmentReason.Other,
    };

    private static Api.ChargeAmount ToProto(ChargeAmount amount) =>
        new() { Component = (Api.ChargeComponent)amount.Component, Amount = ToMoney(amount.Amount.MinorUnits, amount.Amount.CurrencyCode) };

    /// <summary>Exact minor units to google.type.Money (units + nanos).</summary>
    public static Google.Type.Money ToMoney(long minorUnits, string currencyCode)
    {
        var digits = Currencies.DigitsOf(currencyCode);
        var minorPerUnit = (long)Math.Pow(10, digits);
        var nanosPerMinorUnit = (int)Math.Pow(10, 9 - digits);
        return new Google.Type.Money
        {
            CurrencyCode = currencyCode,
            Units = minorUnits / minorPerUnit,
            Nanos = (int)(minorUnits % minorPerUnit) * nanosPerMinorUnit,
        };
    }

    private static Api.OrderItem ToProto(OrderItem item, string currencyCode)
    {
        var proto = new Api.OrderItem
        {
            OrderItemId = item.Id,
            Sku = item.Sku,
            Title = item.Title,
            QuantityOrdered = item.QuantityOrdered,
            QuantityShipped = item.QuantityShipped,
            QuantityCanceled = item.QuantityCanceled,
            QuantityUnshipped = item.QuantityUnshipped,
        };
        proto.UnitCharges.AddRange(item.UnitCharges.OrderBy(charge => charge.Component).Select(charge => new Api.ChargeAmount
        {
            Component = (Api.ChargeComponent)charge.Component,
            Amount = ToMoney(charge.AmountMinor, currencyCode),
        }));
        return proto;
    }

    private static Api.ShippingAddress? ToProto(ShippingAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        var proto = new Api.ShippingAddress
        {
            RecipientName = address.RecipientName,
            Locality = address.Locality,
            AdministrativeArea = address.AdministrativeArea ?? "",
            PostalCode = address.PostalCode,
            RegionCode = address.RegionCode,
            PhoneNumber = address.PhoneNumber ?? "",
        };
        proto.AddressLines.AddRange(new[] { address.Line1, address.Line2, address.Line3 }.OfType<string>());
        return proto;
    }

    private static Api.BuyerContact? ToProto(BuyerContact? contact) => contact is null
        ? null
        : new Api.BuyerContact { Name = contact.Name, Email = contact.Email, PhoneNumber = contact.PhoneNumber ?? "" };

    private static Timestamp? ToProto(DateTimeOffset? value) =>
        value is null ? null : Timestamp.FromDateTimeOffset(value.Value);
}
