using OrderService.Contracts.V1;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>The shape checks of OrderService's order requests, and their translation into
/// the domain's terms. Every violation is collected, so one INVALID_ARGUMENT names all the
/// bad fields at once; the rules that depend on the order are the domain's.</summary>
internal static class OrderRequests
{
    public static Domain.NewOrder NewOrder(CreateOrderRequest request, RequestValidator v)
    {
        v.Identifier(request.OrderId, "order_id");
        v.Identifier(request.SellerId, "seller_id");
        v.Identifier(request.BuyerId, "buyer_id");
        if (string.IsNullOrEmpty(request.CurrencyCode))
        {
            v.Add("currency_code", "required: an ISO 4217 code such as JPY");
        }
        else if (request.CurrencyCode.Length != 3 || !request.CurrencyCode.All(char.IsAsciiLetterUpper))
        {
            v.Add("currency_code", "must be a three-letter ISO 4217 code such as JPY");
        }

        var purchasedAt = v.Time(request.PurchaseTime, "purchase_time", required: true);
        var latestShipDate = v.Time(request.LatestShipTime, "latest_ship_time", required: true);
        v.Range(request.Items.Count, "items", 1, 100);
        var items = new List<Domain.NewOrderItem>();
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            var field = $"items[{i}]";
            v.Identifier(item.OrderItemId, $"{field}.order_item_id");
            v.Text(item.Sku, $"{field}.sku", 100);
            v.Text(item.Title, $"{field}.title", 500);
            v.Range(item.Quantity, $"{field}.quantity", 1, 10_000);
            if (item.UnitCharges.Count == 0)
            {
                v.Add($"{field}.unit_charges", "required: at least the PRINCIPAL of one unit");
            }

            var charges = new List<Domain.UnitCharge>();
            for (var c = 0; c < item.UnitCharges.Count; c++)
            {
                var charge = item.UnitCharges[c];
                v.DefinedEnum(charge.Component, $"{field}.unit_charges[{c}].component");
                var amount = v.MinorUnits(charge.Amount, request.CurrencyCode, $"{field}.unit_charges[{c}].amount");
                charges.Add(new Domain.UnitCharge((Domain.ChargeComponent)charge.Component, amount));
            }

            items.Add(new Domain.NewOrderItem(item.OrderItemId, item.Sku, item.Title, item.Quantity, charges));
        }

        return new Domain.NewOrder(request.OrderId, request.SellerId, request.BuyerId, request.CurrencyCode,
            purchasedAt ?? default, latestShipDate ?? default, items);
    }

    public static Domain.ShippingAddress? Address(ShippingAddress? address, RequestValidator v)
    {
        if (address is null)
        {
            v.Add("shipping_address", "required");
            return null;
        }

        v.Text(address.RecipientName, "shipping_address.recipient_name", 200);
        v.Range(address.AddressLines.Count, "shipping_address.address_lines", 1, 3);
        for (var i = 0; i < address.AddressLines.Count; i++)
        {
            v.Text(address.AddressLines[i], $"shipping_address.address_lines[{i}]", 200);
        }

        v.Text(address.Locality, "shipping_address.locality", 200);
        v.Text(address.AdministrativeArea, "shipping_address.administrative_area", 200, required: false);
        v.Text(address.PostalCode, "shipping_address.postal_code", 32);
        if (address.RegionCode.Length != 2 || !address.RegionCode.All(char.IsAsciiLetterUpper))
        {
            v.Add("shipping_address.region_code", "must be a two-letter upper-case region code such as JP");
        }

        v.Text(address.PhoneNumber, "shipping_address.phone_number", 40, required: false);
        var lines = address.AddressLines;
        return new Domain.ShippingAddress(address.RecipientName, lines.ElementAtOrDefault(0) ?? "", lines.ElementAtOrDefault(1),
            lines.ElementAtOrDefault(2), address.Locality, NullIfEmpty(address.AdministrativeArea), address.PostalCode,
            address.RegionCode, NullIfEmpty(address.PhoneNumber));
    }

    public static Domain.BuyerContact? Contact(BuyerContact? contact, RequestValidator v)
    {
        if (contact is null)
        {
            v.Add("buyer_contact", "required");
            return null;
        }

        v.Text(contact.Name, "buyer_contact.name", 200);
        v.Text(contact.Email, "buyer_contact.email", 320);
        // No white space and no control character (an escape sequence passed, issue 12): an
        // e-mail address has neither (RFC 5322).
        if (contact.Email.Length > 0 && (!contact.Email.Contains('@', StringComparison.Ordinal) || contact.Email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            v.Add("buyer_contact.email", "not an e-mail address");
        }

        v.Text(contact.PhoneNumber, "buyer_contact.phone_number", 40, required: false);
        return new Domain.BuyerContact(contact.Name, contact.Email, NullIfEmpty(contact.PhoneNumber));
    }

    public static Application.Orders.ConfirmShipment.Command Shipment(ConfirmShipmentRequest request, RequestValidator v)
    {
        v.Identifier(request.OrderId, "order_id");
        if (request.Lines.Count == 0)
        {
            v.Add("lines", "required: at least one line");
        }

        for (var i = 0; i < request.Lines.Count; i++)
        {
            v.Identifier(request.Lines[i].OrderItemId, $"lines[{i}].order_item_id");
            v.Range(request.Lines[i].Quantity, $"lines[{i}].quantity", 1, 10_000);
        }

        v.Text(request.Carrier, "carrier", 100);
        v.Text(request.TrackingNumber, "tracking_number", 100);
        var shipTime = v.Time(request.ShipTime, "ship_time", required: false);
        var lines = request.Lines.Select(l => new Domain.ItemQuantity(l.OrderItemId, l.Quantity)).ToList();
        return new(request.OrderId, lines, request.Carrier, request.TrackingNumber, shipTime, request.AcknowledgeBuyerCancellationRequest);
    }

    /// <summary>ListOrders' filters; the page token is checked against their fingerprint.</summary>
    public static Application.Orders.OrderListQuery.Filter ListFilter(ListOrdersRequest request, RequestValidator v)
    {
        if (request.PageSize < 0)
        {
            v.Add("page_size", "must not be negative");
        }

        for (var i = 0; i < request.Statuses.Count; i++)
        {
            v.DefinedEnum(request.Statuses[i], $"statuses[{i}]");
        }

        var start = v.Time(request.PurchaseTimeStart, "purchase_time_start", required: false);
        var end = v.Time(request.PurchaseTimeEnd, "purchase_time_end", required: false);
        if (start is not null && end is not null && end <= start)
        {
            v.Add("purchase_time_end", "must be after purchase_time_start");
        }

        var statuses = request.Statuses.Distinct().Select(s => (Domain.OrderStatus)s).Order().ToList();
        bool? hasRequest = request.HasHasBuyerCancellationRequest ? request.HasBuyerCancellationRequest : null;
        return new(statuses, start, end, hasRequest);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
