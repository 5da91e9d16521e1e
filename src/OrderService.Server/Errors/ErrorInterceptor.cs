using Grpc.Core;
using Grpc.Core.Interceptors;
using OrderService.Domain;

namespace OrderService.Server.Errors;

/// <summary>Turns a domain refusal thrown anywhere under a service method into its gRPC
/// status, so that services need no try/catch of their own. Anything else that escapes is
/// a server fault: logged with an id and answered INTERNAL with that id, never UNKNOWN and
/// never with the exception's text.</summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Guard(() => continuation(request, context), context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(() => continuation(request, responseStream, context), context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(() => continuation(requestStream, context), context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(() => continuation(requestStream, responseStream, context), context);

    /// <summary>Runs the service method, answering what escapes it as <see cref="Translate"/>
    /// says. One body for all four kinds of handler, so none can escape the mapping.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call, ServerCallContext context)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

    private Task Guard(Func<Task> call, ServerCallContext context) =>
        Guard<bool>(async () =>
        {
            await call();
            return true;
        }, context);

    /// <summary>The status to answer with, or null to let the exception through (gRPC's
    /// own statuses, and cancellation by the client).</summary>
    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case DomainException refusal:
                return RpcErrors.FromDomain(refusal);
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null;
            default:
                var incident = Guid.NewGuid().ToString("N")[..12];
                logger.UnhandledError(exception, context.Method, incident);
                return RpcErrors.Internal(incident);
        }
    }
}
