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
