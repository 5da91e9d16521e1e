using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.RefundService. Declared in the v1 contract; the refunds,
/// partial-cancellation and returns issue implements it. Until then every method answers
/// UNIMPLEMENTED with an ErrorInfo saying so.</summary>
public sealed class RefundGrpcService : RefundService.RefundServiceBase
{
    private const string PlannedIn = "refunds, partial cancellation and returns issue";

    public override Task<GetRefundableAmountsResponse> GetRefundableAmounts(GetRefundableAmountsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);

    public override Task<RefundOrderResponse> RefundOrder(RefundOrderRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);

    public override Task<CancelItemsResponse> CancelItems(CancelItemsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);

    public override Task<SubmitAdjustmentFeedResponse> SubmitAdjustmentFeed(SubmitAdjustmentFeedRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);

    public override Task<RecordReturnResponse> RecordReturn(RecordReturnRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);

    public override Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, PlannedIn);
}
