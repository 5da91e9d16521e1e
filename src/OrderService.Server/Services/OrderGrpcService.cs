using Grpc.Core;
using OrderService.Application.Cancellations;
using OrderService.Application.Feeds;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Application.Metrics;
using OrderService.Application.Orders;
using OrderService.Application.Refunds;
using OrderService.Application.Reports;
using OrderService.Application.Templates;
using OrderService.Contracts.V1;
using OrderService.Server.Access;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.OrderService, the order RPCs: check the request's shape, call
/// one use case, map. The cancellation RPCs are in OrderGrpcService.Cancellations.cs.</summary>
public sealed partial class OrderGrpcService(
    CreateOrder createOrder,
    AuthorizePayment authorizePayment,
    GetOrder getOrder,
    OrderListQuery orderList,
    ConfirmShipment confirmShipment,
    CancelOrder cancelOrder,
    RequestCancellation requestCancellation,
    CancellationFeed cancellationFeed,
    GetCancellationMetrics getCancellationMetrics,
    GetReplyTemplate getReplyTemplate,
    RequestAddressChange requestAddressChange,
    RequestCarrierReturn requestCarrierReturn,
    OrderReport orderReport) : Contracts.V1.OrderService.OrderServiceBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public override Task<CreateOrderResponse> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        var newOrder = OrderRequests.NewOrder(request, v);
        v.ThrowIfInvalid();
        return createOrder.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            newOrder, context.CancellationToken);
    }

    public override Task<AuthorizePaymentResponse> AuthorizePayment(AuthorizePaymentRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        var address = OrderRequests.Address(request.ShippingAddress, v);
        var contact = OrderRequests.Contact(request.BuyerContact, v);
        v.ThrowIfInvalid();
        return authorizePayment.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            request.OrderId, address!, contact!, context.CancellationToken);
    }

    public override Task<GetOrderResponse> GetOrder(GetOrderRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        v.Identifier(request.OrderId, "order_id");
        v.ThrowIfInvalid();
        return getOrder.ExecuteAsync(AccessInterceptor.CallerOf(context), request.OrderId, context.CancellationToken);
    }

    public override async Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var filter = OrderRequests.ListFilter(request, v);
        var filterHash = PageToken.FingerprintOf(caller.Key, filter.Statuses, filter.PurchasedFrom?.UtcTicks,
            filter.PurchasedBefore?.UtcTicks, filter.HasBuyerCancellationRequest);
        var after = PageToken.Decode(request.PageToken, filterHash, v);
        v.ThrowIfInvalid();

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var page = await orderList.PageAsync(caller, filter,
            after is null ? null : new OrderListQuery.After(new DateTimeOffset(after.PurchasedAtTicks, TimeSpan.Zero), after.OrderId),
            pageSize, context.CancellationToken);
        var response = new ListOrdersResponse();
        response.Orders.AddRange(page.Take(pageSize));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = new PageToken(last.PurchaseTime.ToDateTimeOffset().UtcTicks, last.OrderId, filterHash).Encode();
        }

        return response;
    }

    public override Task<ConfirmShipmentResponse> ConfirmShipment(ConfirmShipmentRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        var shipment = OrderRequests.Shipment(request, v);
        v.ThrowIfInvalid();
        return confirmShipment.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            shipment, context.CancellationToken);
    }

    public override Task<RequestAddressChangeResponse> RequestAddressChange(RequestAddressChangeRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        v.Text(request.Reason, "reason", 500);
        v.ThrowIfInvalid();
        return requestAddressChange.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            request.OrderId, request.Reason, context.CancellationToken);
    }

    public override Task<RequestCarrierReturnResponse> RequestCarrierReturn(RequestCarrierReturnRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        v.DefinedEnum(request.Cause, "cause");
        v.Text(request.Note, "note", 1000, required: false);
        v.ThrowIfInvalid();
        return requestCarrierReturn.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            request.OrderId, (Domain.CarrierReturnCause)request.Cause, request.Note, context.CancellationToken);
    }

    public override async Task StreamOrderReport(
        StreamOrderReportRequest request, IServerStreamWriter<StreamOrderReportResponse> responseStream, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        v.DefinedEnum(request.ReportType, "report_type");
        var from = v.Time(request.PurchaseTimeStart, "purchase_time_start", required: false);
        var before = v.Time(request.PurchaseTimeEnd, "purchase_time_end", required: false);
        if (from is not null && before is not null && before <= from)
        {
            v.Add("purchase_time_end", "must be after purchase_time_start");
        }

        // The cursor is bound to the report it came from: resuming another report with it
        // would skip or repeat rows.
        var filterHash = PageToken.FingerprintOf(caller.Key, "report", (int)request.ReportType, from?.UtcTicks, before?.UtcTicks,
            request.IncludeBuyerCancellationRequest);
        var after = PageToken.Decode(request.ResumeAfter, filterHash, v, "resume_after");
        v.ThrowIfInvalid();

        var query = new OrderReport.Query(request.ReportType, from, before, request.IncludeBuyerCancellationRequest);
        var position = after is null ? null : new OrderReport.Position(new DateTimeOffset(after.PurchasedAtTicks, TimeSpan.Zero), after.OrderId);
        await foreach (var (row, at) in orderReport.RowsAsync(caller, query, position, context.CancellationToken))
        {
            row.Cursor = new PageToken(at.PurchasedAt.UtcTicks, at.OrderId, filterHash).Encode();
            // Waits for the client's flow-control window: a slow reader slows its own stream,
            // and no more than a page is ever read ahead of it.
            await responseStream.WriteAsync(row, context.CancellationToken);
        }
    }
}
