using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using OrderService.Contracts.V1;

namespace OrderService.Client;

/// <summary>One channel to an OrderService server with a bearer token on every call, and
/// the three typed clients over it.
/// <code>
/// using var connection = OrderServiceConnection.Create(new Uri("http://127.0.0.1:5080"), token);
/// var order = await connection.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-1" });
/// </code></summary>
public sealed class OrderServiceConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    private OrderServiceConnection(GrpcChannel channel, string? bearerToken)
    {
        _channel = channel;
        var invoker = bearerToken is null
            ? channel.CreateCallInvoker()
            : channel.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {bearerToken}");
                return metadata;
            });
        Orders = new Contracts.V1.OrderService.OrderServiceClient(invoker);
        Refunds = new RefundService.RefundServiceClient(invoker);
        Notifications = new NotificationService.NotificationServiceClient(invoker);
    }

    public Contracts.V1.OrderService.OrderServiceClient Orders { get; }

    public RefundService.RefundServiceClient Refunds { get; }

    public NotificationService.NotificationServiceClient Notifications { get; }

    /// <summary>Connects to <paramref name="address"/> (h2c for http://, TLS for https://).
    /// A null token sends none. <paramref name="handler"/> replaces the HTTP handler, as
    /// tests do with an in-process server's.</summary>
    public static OrderServiceConnection Create(Uri address, string? bearerToken, HttpMessageHandler? handler = null)
    {
        var options = new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 };
        if (handler is not null)
        {
            options.HttpHandler = handler;
        }

        return new OrderServiceConnection(GrpcChannel.ForAddress(address, options), bearerToken);
    }

    public void Dispose() => _channel.Dispose();
}

/// <summary>Reads the google.rpc details the server puts on every error.</summary>
public static class RpcExceptionDetails
{
    /// <summary>The ErrorInfo.reason ("ORDER_PENDING", "REQUEST_ID_REUSED"...), or null.</summary>
    public static string? Reason(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    /// <summary>The fields a BadRequest detail names.</summary>
    public static IReadOnlyList<string> InvalidFields(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => v.Field).ToList()
        ?? [];
}
