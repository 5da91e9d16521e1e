using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>orderservice.v1.NotificationService. The event log it delivers from is
/// written from day one; the notifications issue implements the stream. Until then
/// Subscribe answers UNIMPLEMENTED.</summary>
public sealed class NotificationGrpcService : NotificationService.NotificationServiceBase
{
    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context) =>
        throw RpcErrors.Unimplemented(context.Method, "notifications issue");
}
