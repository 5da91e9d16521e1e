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
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
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
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

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
                logger.LogError(exception, "Unhandled error in {Method} (incident {Incident}).", context.Method, incident);
                return RpcErrors.Internal(incident);
        }
    }
}
