using Grpc.Core;
using Grpc.Core.Interceptors;
using OrderService.Domain;

namespace OrderService.Server.Errors;

/// <summary>Turns a domain refusal thrown anywhere under a service method into its gRPC
/// status, so that services need no try/catch of their own.</summary>
public sealed class ErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (DomainException exception)
        {
            throw RpcErrors.FromDomain(exception);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (DomainException exception)
        {
            throw RpcErrors.FromDomain(exception);
        }
    }
}
