using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.Domain;
using OrderService.Server.Access;
using OrderService.Server.Errors;
using OrderService.Server.Infrastructure;
using Api = OrderService.Contracts.V1;
using Domain = OrderService.Domain;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.OrderService: validate, call the domain, save through the store.</summary>
public sealed partial class OrderGrpcService(OrderStore store) : Api.OrderService.OrderServiceBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public override Task<CreateOrderResponse> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
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

            var charges = new List<UnitCharge>();
            for (var c = 0; c < item.UnitCharges.Count; c++)
            {
                var charge = item.UnitCharges[c];
                v.DefinedEnum(charge.Component, $"{field}.unit_charges[{c}].component");
                var amount = v.MinorUnits(charge.Amount, request.CurrencyCode, $"{field}.unit_charges[{c}].amount");
                charges.Add(new UnitCharge((Domain.ChargeComponent)charge.Component, amount));
            }

            items.Add(new Domain.NewOrderItem(item.OrderItemId, item.Sku, item.Title, item.Quantity, charges));
        }

        v.ThrowIfInvalid();
        var newOrder = new NewOrder(request.OrderId, request.SellerId, request.BuyerId, request.CurrencyCode,
            purchasedAt!.Value, latestShipDate!.Value, items);

        return store.MutateAsync(caller, context.Method, requestId, request, async cancellationToken =>
        {
            // The order's own rules first: a mistake in it is reported whether or not the
            // id is taken.
            var order = Domain.Order.Create(newOrder, store.Now);
            if (await store.Db.Orders.AnyAsync(o => o.Id == request.OrderId, cancellationToken))
            {
                throw new DomainException(ErrorKind.AlreadyExists, "ORDER_ALREADY_EXISTS",
                    $"Order '{request.OrderId}' already exists.", "order_id");
            }

            store.Db.Orders.Add(order);
            return new CreateOrderResponse { Order = ProtoMapper.ToProto(order) };
        }, context.CancellationToken);
    }

    public override Task<AuthorizePaymentResponse> AuthorizePayment(AuthorizePaymentRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        var address = ValidateAddress(request.ShippingAddress, v);
        var contact = ValidateContact(request.BuyerContact, v);
        v.ThrowIfInvalid();

        return store.MutateAsync(caller, context.Method, requestId, request, async cancellationToken =>
        {
            var order = await store.FindVisibleAsync(caller, request.OrderId, cancellationToken);
            order.AuthorizePayment(address!, contact!, store.Now);
            return new AuthorizePaymentResponse { Order = ProtoMapper.ToProto(order) };
        }, context.CancellationToken);
    }

    public override async Task<GetOrderResponse> GetOrder(GetOrderRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        v.Identifier(request.OrderId, "order_id");
        v.ThrowIfInvalid();

        var order = await store.FindVisibleAsync(caller, request.OrderId, context.CancellationToken);
        return new GetOrderResponse { Order = ProtoMapper.ToProto(order) };
    }

    public override async Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
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
        var filterHash = PageToken.FingerprintOf(caller.Key, statuses, start?.UtcTicks, end?.UtcTicks, hasRequest);
        var after = PageToken.Decode(request.PageToken, filterHash, v);
        v.ThrowIfInvalid();

        // One statement per page, so no order is read half before and half after a change.
        var query = store.VisibleOrders(caller).AsNoTracking().AsSingleQuery();
        if (statuses.Count > 0)
        {
            query = query.Where(o => statuses.Contains(o.Status));
        }

        if (start is not null)
        {
            query = query.Where(o => o.PurchasedAt >= start.Value);
        }

        if (end is not null)
        {
            query = query.Where(o => o.PurchasedAt < end.Value);
        }

        if (hasRequest is not null)
        {
            query = hasRequest.Value
                ? query.Where(o => o.BuyerCancellationRequest != null)
                : query.Where(o => o.BuyerCancellationRequest == null);
        }

        if (after is not null)
        {
            var afterTime = new DateTimeOffset(after.PurchasedAtTicks, TimeSpan.Zero);
            query = query.Where(o => o.PurchasedAt < afterTime
                || (o.PurchasedAt == afterTime && string.Compare(o.Id, after.OrderId) < 0));
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var page = await query
            .OrderByDescending(o => o.PurchasedAt).ThenByDescending(o => o.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new ListOrdersResponse();
        response.Orders.AddRange(page.Take(pageSize).Select(ProtoMapper.ToProto));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = new PageToken(last.PurchasedAt.UtcTicks, last.Id, filterHash).Encode();
        }

        return response;
    }

    public override Task<ConfirmShipmentResponse> ConfirmShipment(ConfirmShipmentRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
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
        v.ThrowIfInvalid();

        var lines = request.Lines.Select(l => new ItemQuantity(l.OrderItemId, l.Quantity)).ToList();
        return store.MutateAsync(caller, context.Method, requestId, request, async cancellationToken =>
        {
            var order = await store.FindVisibleAsync(caller, request.OrderId, cancellationToken);
            var now = store.Now;
            var shipment = order.ConfirmShipment(lines, request.Carrier, request.TrackingNumber, shipTime ?? now,
                request.AcknowledgeBuyerCancellationRequest, now);
            return new ConfirmShipmentResponse { Order = ProtoMapper.ToProto(order), Shipment = ProtoMapper.ToProto(shipment) };
        }, context.CancellationToken);
    }

    public override Task<RequestAddressChangeResponse> RequestAddressChange(RequestAddressChangeRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, "address-change issue");

    public override Task<RequestCarrierReturnResponse> RequestCarrierReturn(RequestCarrierReturnRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, "address-change issue");

    public override Task StreamOrderReport(StreamOrderReportRequest request, IServerStreamWriter<StreamOrderReportResponse> responseStream, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, "reports issue");

    private static Domain.ShippingAddress? ValidateAddress(Api.ShippingAddress? address, RequestValidator v)
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

    private static Domain.BuyerContact? ValidateContact(Api.BuyerContact? contact, RequestValidator v)
    {
        if (contact is null)
        {
            v.Add("buyer_contact", "required");
            return null;
        }

        v.Text(contact.Name, "buyer_contact.name", 200);
        v.Text(contact.Email, "buyer_contact.email", 320);
        if (contact.Email.Length > 0 && (!contact.Email.Contains('@', StringComparison.Ordinal) || contact.Email.Any(char.IsWhiteSpace)))
        {
            v.Add("buyer_contact.email", "not an e-mail address");
        }

        v.Text(contact.PhoneNumber, "buyer_contact.phone_number", 40, required: false);
        return new Domain.BuyerContact(contact.Name, contact.Email, NullIfEmpty(contact.PhoneNumber));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
