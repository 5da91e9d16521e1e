using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;

namespace OrderService.IntegrationTests;

/// <summary>The per-caller rate limit (README, "Limits"): a caller over its limit is told
/// when to come back; other callers and health checks go on.</summary>
public sealed class RateLimitTests
{
    private static readonly Dictionary<string, string?> TightLimit = new()
    {
        ["RateLimiting:PermitsPerSecond"] = "1",
        ["RateLimiting:Burst"] = "3",
    };

    [Fact]
    public async Task A_caller_over_its_limit_gets_resource_exhausted_with_when_to_retry_and_others_go_on()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(settings: TightLimit);
        using var greedy = server.Seller("SELLER-GREEDY");
        using var other = server.Seller("SELLER-OTHER");
        var read = new GetOrderRequest { OrderId = "250-no-such-order" };

        for (var i = 0; i < 3; i++)
        {
            var notFound = await Assert.ThrowsAsync<RpcException>(() => greedy.Orders.GetOrderAsync(read).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => greedy.Orders.GetOrderAsync(read).ResponseAsync);
        var stillServed = await Assert.ThrowsAsync<RpcException>(() => other.Orders.GetOrderAsync(read).ResponseAsync);
        using var channel = GrpcChannel.ForAddress(server.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.Server.CreateHandler() });
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        var details = limited.Details();
        Assert.Equal("RATE_LIMITED", details.Reason);
        var retry = limited.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Equal(((long)Math.Ceiling(retry.RetryDelay.ToTimeSpan().TotalMilliseconds)).ToString(), details.Metadata("retry_after_ms"));
        Assert.Equal(StatusCode.NotFound, stillServed.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        // After the delay it says, the caller is served again.
        await Task.Delay(retry.RetryDelay.ToTimeSpan() + TimeSpan.FromMilliseconds(200));
        var served = await Assert.ThrowsAsync<RpcException>(() => greedy.Orders.GetOrderAsync(read).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, served.StatusCode);
    }

    [Fact]
    public async Task A_rate_limited_mutation_changes_nothing()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(settings: TightLimit);
        using var marketplace = server.Marketplace();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => marketplace.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-none" }).ResponseAsync);
        }

        var order = TestData.CreateOrder("SELLER-RATE", "BUYER-RATE", "250-RATE-1");
        var limited = await Assert.ThrowsAsync<RpcException>(() => marketplace.Orders.CreateOrderAsync(order).ResponseAsync);
        await Task.Delay(limited.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() + TimeSpan.FromMilliseconds(200));
        var missing = await Assert.ThrowsAsync<RpcException>(() => marketplace.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-RATE-1" }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
