using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderService.Contracts.V1;

namespace OrderService.Client;

/// <summary>Where the server is and how to get a token, for
/// <see cref="ServiceCollectionExtensions.AddOrderServiceClients"/>.</summary>
public sealed class OrderServiceClientOptions
{
    /// <summary>The server, e.g. http://127.0.0.1:5080 (h2c) or https://orders.example.</summary>
    public Uri? Address { get; set; }

    /// <summary>A fixed bearer token. Or set <see cref="TokenProvider"/>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Asked for a token on every call (cache and refresh in it), for tokens that
    /// expire. Wins over <see cref="BearerToken"/>.</summary>
    public Func<IServiceProvider, CancellationToken, ValueTask<string>>? TokenProvider { get; set; }
}

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the three typed clients with Grpc.Net.ClientFactory, each with the
    /// bearer token on every call, request_ids filled in, and UNAVAILABLE / ABORTED retried
    /// with the same message (as <see cref="OrderServiceConnection.Create"/>).
    /// <code>
    /// services.AddOrderServiceClients(o =>
    /// {
    ///     o.Address = new Uri("http://127.0.0.1:5080");
    ///     o.BearerToken = configuration["OrderService:Token"];
    /// });
    /// // then inject OrderService.Contracts.V1.OrderService.OrderServiceClient, RefundService.RefundServiceClient, ...
    /// </code></summary>
    public static IServiceCollection AddOrderServiceClients(this IServiceCollection services, Action<OrderServiceClientOptions> configure)
    {
        services.AddOptions<OrderServiceClientOptions>().Configure(configure)
            .Validate(o => o.Address is not null, "OrderService: Address is required.")
            .Validate(o => o.BearerToken is not null || o.TokenProvider is not null, "OrderService: set BearerToken or TokenProvider.");
        Register<Contracts.V1.OrderService.OrderServiceClient>(services);
        Register<RefundService.RefundServiceClient>(services);
        Register<NotificationService.NotificationServiceClient>(services);
        return services;
    }

    private static void Register<TClient>(IServiceCollection services)
        where TClient : ClientBase
    {
        services.AddGrpcClient<TClient>((provider, factory) =>
                factory.Address = provider.GetRequiredService<IOptions<OrderServiceClientOptions>>().Value.Address)
            .AddCallCredentials(async (context, metadata, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<OrderServiceClientOptions>>().Value;
                var token = options.TokenProvider is { } tokens
                    ? await tokens(provider, context.CancellationToken)
                    : options.BearerToken!;
                metadata.Add("authorization", $"Bearer {token}");
            })
            .ConfigureChannel((provider, channel) =>
            {
                var address = provider.GetRequiredService<IOptions<OrderServiceClientOptions>>().Value.Address;
                // Call credentials are sent over h2c too: the service's development and
                // in-cluster endpoints are cleartext.
                channel.UnsafeUseInsecureChannelCallCredentials = address?.Scheme == Uri.UriSchemeHttp;
                channel.MaxReceiveMessageSize = OrderServiceConnection.MaxReceiveMessageSize;
                channel.ServiceConfig = RequestIds.RetryingServiceConfig();
                RequestIds.ReconnectSoon(channel);
            })
            .AddInterceptor(() => new RequestIdInterceptor());
    }
}
