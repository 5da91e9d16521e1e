using Grpc.Core;
using OrderService.Contracts.V1;

namespace OrderService.Client.Tests;

/// <summary>Limits as a client meets them on the real server (README, "Limits"): deadlines
/// and the request header size.</summary>
[Collection(ServerCollection.Name)]
public sealed class LimitTests(ServerProcess server)
{
    private readonly Orders _orders = new();

    [Fact]
    public async Task A_feed_whose_deadline_expires_leaves_whole_lines_and_its_retry_finishes_it_once()
    {
        using var marketplace = server.As("marketplace", "intake");
        using var seller = server.As("seller", _orders.SellerId);
        var orderIds = Enumerable.Range(1, 1000).Select(n => _orders.OrderId(1000 + n)).ToList();
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (orderId, cancel) =>
        {
            await marketplace.Orders.CreateOrderAsync(_orders.Create(orderId), cancellationToken: cancel);
            await marketplace.Orders.AuthorizePaymentAsync(Orders.Authorize(orderId), cancellationToken: cancel);
        });
        var feed = new SubmitCancellationFeedRequest { RequestId = Guid.NewGuid().ToString() };
        feed.Lines.AddRange(orderIds.Select(id => new CancellationFeedLine { OrderId = id, Reason = CancelReason.NoInventory }));

        var expired = await Assert.ThrowsAsync<RpcException>(() =>
            seller.Orders.SubmitCancellationFeedAsync(feed, deadline: DateTime.UtcNow.AddMilliseconds(150)).ResponseAsync);
        var answer = await seller.Orders.SubmitCancellationFeedAsync(feed);
        var second = await seller.Orders.SubmitCancellationFeedAsync(feed);

        Assert.True(expired.StatusCode == StatusCode.DeadlineExceeded, expired.ToString());
        // The retry with the same request_id finishes the feed: every line once (R10, R16).
        Assert.Equal(1000, answer.Summary.Accepted);
        Assert.Equal(answer, second);
        Assert.All(answer.Results, line => Assert.NotNull(line.Cancellation));
        var sample = await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderIds[^1] });
        Assert.Single(sample.Order.Cancellations);
    }

    [Fact]
    public async Task Headers_up_to_the_limit_are_read_and_a_larger_request_is_refused_without_harming_the_server()
    {
        var nearLimit = OrderServiceConnection.Create(server.Address, new string('a', 16 * 1024));
        var overLimit = OrderServiceConnection.Create(server.Address, new string('a', 40 * 1024));
        using var _ = nearLimit;
        using var __ = overLimit;
        var read = new GetOrderRequest { OrderId = "250-none" };

        var invalid = await Assert.ThrowsAsync<RpcException>(() => nearLimit.Orders.GetOrderAsync(read).ResponseAsync);
        var refused = await Assert.ThrowsAsync<RpcException>(() => overLimit.Orders.GetOrderAsync(read).ResponseAsync);
        using var marketplace = server.As("marketplace", "intake");
        var after = await Assert.ThrowsAsync<RpcException>(() => marketplace.Orders.GetOrderAsync(read).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, invalid.StatusCode);
        Assert.Equal("TOKEN_INVALID", invalid.Details().Reason);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Equal(StatusCode.NotFound, after.StatusCode); // the server goes on serving
    }
}
