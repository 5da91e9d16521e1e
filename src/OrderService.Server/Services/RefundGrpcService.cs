using Grpc.Core;
using OrderService.Application.Feeds;
using OrderService.Application.Idempotency;
using OrderService.Application.Refunds;
using OrderService.Contracts.V1;
using OrderService.Server.Access;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.RefundService: money going back to the buyer (R20-R24, R42,
/// R43). Each method checks the request's shape, calls its use case and returns its answer.</summary>
public sealed class RefundGrpcService(
    GetRefundableAmounts getRefundableAmounts,
    RefundOrder refundOrder,
    CancelItems cancelItems,
    RecordReturn recordReturn,
    RefundListQuery refundList,
    AdjustmentFeed adjustmentFeed) : RefundService.RefundServiceBase
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public override Task<GetRefundableAmountsResponse> GetRefundableAmounts(GetRefundableAmountsRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        v.Identifier(request.OrderId, "order_id");
        v.ThrowIfInvalid();
        return getRefundableAmounts.ExecuteAsync(AccessInterceptor.CallerOf(context), request.OrderId, context.CancellationToken);
    }

    public override Task<RefundOrderResponse> RefundOrder(RefundOrderRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        var refund = RefundRequests.Refund(v, request.OrderId, request.Reason, request.Items);
        v.ThrowIfInvalid();
        return refundOrder.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            refund, request.ValidateOnly, context.CancellationToken);
    }

    public override Task<CancelItemsResponse> CancelItems(CancelItemsRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        v.DefinedEnum(request.Reason, "reason");
        v.DefinedEnum(request.Requester, "requester", allowUnspecified: true);
        var units = RefundRequests.Units(request.Items.Select(i => (i.OrderItemId, i.Quantity)), "items", "quantity", v);
        v.ThrowIfInvalid();
        var requester = request.Requester == CancellationRequester.Unspecified
            ? Domain.CancellationRequester.Seller
            : (Domain.CancellationRequester)request.Requester;
        return cancelItems.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            new Application.Refunds.CancelItems.Command(request.OrderId, units, (Domain.CancelReason)request.Reason, requester),
            context.CancellationToken);
    }

    public override Task<SubmitAdjustmentFeedResponse> SubmitAdjustmentFeed(SubmitAdjustmentFeedRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.FeedLineCount(request.Lines.Count, AdjustmentFeed.MaxLines);

        v.ThrowIfInvalid();
        return adjustmentFeed.SubmitAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            RefundRequests.FeedLines(request.Lines), request.ValidateOnly, context.CancellationToken);
    }

    public override Task<RecordReturnResponse> RecordReturn(RecordReturnRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        var lines = RefundRequests.Units(request.Lines.Select(l => (l.OrderItemId, l.QuantityReceived)), "lines", "quantity_received", v);
        var deductions = RefundRequests.Amounts(request.Deductions, "deductions", v, required: false);
        v.ThrowIfInvalid();
        return recordReturn.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            new Application.Refunds.RecordReturn.Command(request.OrderId, lines, deductions), context.CancellationToken);
    }

    public override async Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        if (request.PageSize < 0)
        {
            v.Add("page_size", "must not be negative");
        }

        if (request.OrderId.Length > 0)
        {
            v.Identifier(request.OrderId, "order_id");
        }

        var filterHash = PageToken.FingerprintOf(caller.Key, "refunds", request.OrderId);
        var after = PageToken.Decode(request.PageToken, filterHash, v);
        v.ThrowIfInvalid();

        // Above the maximum is served as the maximum (AIP-158). The token's position is the
        // last refund's time and id, in the fields ListOrders uses for a purchase.
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var page = await refundList.PageAsync(caller, request.OrderId.Length > 0 ? request.OrderId : null,
            after is null ? null : new RefundListQuery.After(new DateTimeOffset(after.PurchasedAtTicks, TimeSpan.Zero), after.OrderId),
            pageSize, context.CancellationToken);
        var response = new ListRefundsResponse();
        response.Refunds.AddRange(page.Take(pageSize));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = new PageToken(last.CreateTime.ToDateTimeOffset().UtcTicks, last.RefundId, filterHash).Encode();
        }

        return response;
    }
}
