using Grpc.Core;
using OrderService.Application.Feeds;
using OrderService.Application.Idempotency;
using OrderService.Contracts.V1;
using OrderService.Server.Access;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>The cancellation RPCs of OrderService (R2, R4, R5, R10-R18, T1-T5).</summary>
public sealed partial class OrderGrpcService
{
    public override Task<CancelOrderResponse> CancelOrder(CancelOrderRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        var cancellation = CancellationRequests.Cancellation(v, request.OrderId, request.Reason, request.Requester, request.Note);
        v.ThrowIfInvalid();
        return cancelOrder.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            cancellation, request.ValidateOnly, context.CancellationToken);
    }

    public override Task<RequestCancellationResponse> RequestCancellation(RequestCancellationRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        v.Text(request.Reason, "reason", 500);
        v.ThrowIfInvalid();
        return requestCancellation.ExecuteAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            request.OrderId, request.Reason, context.CancellationToken);
    }

    public override Task<SubmitCancellationFeedResponse> SubmitCancellationFeed(SubmitCancellationFeedRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.FeedLineCount(request.Lines.Count, CancellationFeed.MaxLines);

        v.ThrowIfInvalid();
        return cancellationFeed.SubmitAsync(AccessInterceptor.CallerOf(context), new RequestKey(context.Method, requestId, request),
            CancellationRequests.FeedLines(request.Lines), request.ValidateOnly, context.CancellationToken);
    }

    public override Task<GetCancellationMetricsResponse> GetCancellationMetrics(GetCancellationMetricsRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var window = CancellationRequests.MetricsWindow(request.Window, v);
        v.ThrowIfInvalid();
        return getCancellationMetrics.ExecuteAsync(AccessInterceptor.CallerOf(context), window, context.CancellationToken);
    }

    public override Task<GetReplyTemplateResponse> GetReplyTemplate(GetReplyTemplateRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        v.DefinedEnum(request.TemplateId, "template_id");
        v.Identifier(request.OrderId, "order_id");
        CancellationRequests.Language(request.LanguageCode, v);
        v.ThrowIfInvalid();
        return getReplyTemplate.ExecuteAsync(AccessInterceptor.CallerOf(context), (Domain.ReplyTemplateId)request.TemplateId,
            request.LanguageCode, request.OrderId, context.CancellationToken);
    }
}
