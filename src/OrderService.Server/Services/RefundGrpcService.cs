using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.RefundService. Declared in the v1 contract and not implemented
/// by this server version: every method answers UNIMPLEMENTED with an ErrorInfo saying so.</summary>
public sealed class RefundGrpcService : RefundService.RefundServiceBase
{
    public override Task<GetRefundableAmountsResponse> GetRefundableAmounts(GetRefundableAmountsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);

    public override Task<RefundOrderResponse> RefundOrder(RefundOrderRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);

    public override Task<CancelItemsResponse> CancelItems(CancelItemsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);

    public override Task<SubmitAdjustmentFeedResponse> SubmitAdjustmentFeed(SubmitAdjustmentFeedRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);

    public override Task<RecordReturnResponse> RecordReturn(RecordReturnRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);

    public override Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method);
}
