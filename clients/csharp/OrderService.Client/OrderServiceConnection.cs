using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using OrderService.Contracts.V1;

namespace OrderService.Client;

/// <summary>One channel to an OrderService server with a bearer token on every call, and
/// the three typed clients over it. Mutating requests get a request_id when they have none
/// (<see cref="RequestIdInterceptor"/>), and UNAVAILABLE and ABORTED are retried with the
/// same message (<see cref="RequestIds.RetryingServiceConfig"/>).
/// <code>
/// using var connection = OrderServiceConnection.Create(new Uri("http://127.0.0.1:5080"), token);
/// var order = await connection.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-1" });
/// </code></summary>
public sealed class OrderServiceConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    private OrderServiceConnection(GrpcChannel channel, string? bearerToken, bool fillRequestIds)
    {
        _channel = channel;
        var invoker = fillRequestIds ? channel.Intercept(new RequestIdInterceptor()) : channel.CreateCallInvoker();
        if (bearerToken is not null)
        {
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {bearerToken}");
                return metadata;
            });
        }

        CallInvoker = invoker;
        Orders = new Contracts.V1.OrderService.OrderServiceClient(invoker);
        Refunds = new RefundService.RefundServiceClient(invoker);
        Notifications = new NotificationService.NotificationServiceClient(invoker);
    }

    /// <summary>Responses up to 64 MB: a large cancellation feed's answer exceeds gRPC's 4 MB
    /// default.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024 * 1024;

    /// <summary>The channel with the token (and, from <see cref="Create"/>, request ids and
    /// retries): for calls made from descriptors, as orderctl does.</summary>
    public CallInvoker CallInvoker { get; }

    public Contracts.V1.OrderService.OrderServiceClient Orders { get; }

    public RefundService.RefundServiceClient Refunds { get; }

    public NotificationService.NotificationServiceClient Notifications { get; }

    /// <summary>Connects to <paramref name="address"/> (h2c for http://, TLS for https://).
    /// A null token sends none. <paramref name="handler"/> replaces the HTTP handler, as
    /// tests do with an in-process server's.</summary>
    public static OrderServiceConnection Create(Uri address, string? bearerToken, HttpMessageHandler? handler = null) =>
        Connect(address, bearerToken, handler, helpful: true);

    /// <summary>Like <see cref="Create"/>, but sends exactly what the caller built: no
    /// request_id filled in, no retries. What a bare generated client does; the server's
    /// own tests and the bench use it to see every answer as it is.</summary>
    public static OrderServiceConnection CreateRaw(Uri address, string? bearerToken, HttpMessageHandler? handler = null) =>
        Connect(address, bearerToken, handler, helpful: false);

    private static OrderServiceConnection Connect(Uri address, string? bearerToken, HttpMessageHandler? handler, bool helpful)
    {
        var options = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxReceiveMessageSize,
            ServiceConfig = helpful ? RequestIds.RetryingServiceConfig() : null,
        };
        if (handler is not null)
        {
            options.HttpHandler = handler;
        }

        if (helpful)
        {
            RequestIds.ReconnectSoon(options);
        }

        return new OrderServiceConnection(GrpcChannel.ForAddress(address, options), bearerToken, fillRequestIds: helpful);
    }

    public void Dispose() => _channel.Dispose();
}
