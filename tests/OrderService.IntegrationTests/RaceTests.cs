using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderService.IntegrationTests;

/// <summary>Races on one order, as busy sellers' systems make them: every outcome is one the
/// transition table allows, no update is lost, nothing is applied twice, and the server's own
/// re-runs absorb the conflicts so that clients seldom see ABORTED. The figures go to the
/// test output (docs/reliability.md).</summary>
[Collection(ServerCollection.Name)]
public sealed class RaceTests(ServerFixture server, ITestOutputHelper output)
{
    private readonly string _seller = TestData.NewId("SELLER-RACE");
    private readonly string _buyer = TestData.NewId("BUYER-RACE");

    [Fact]
    public async Task Twenty_two_concurrent_partial_shipments_of_one_order_ship_every_unit_once()
    {
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(_seller);
        var create = TestData.CreateOrder(_seller, _buyer);
        create.Items[0].Quantity = 22;
        await marketplace.Orders.CreateOrderAsync(create);
        await marketplace.Orders.AuthorizePaymentAsync(TestData.Authorize(create.OrderId));

        // 22 requests, one unit each; a client retries ABORTED with the same request_id.
        var shipments = Enumerable.Range(0, 22).Select(_ => TestData.Ship(create.OrderId, ("A", 1))).ToList();
        var aborted = 0;
        await Task.WhenAll(shipments.Select(async shipment =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await seller.Orders.ConfirmShipmentAsync(shipment);
                    return;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && attempt < 20)
                {
                    Interlocked.Increment(ref aborted);
                }
            }
        }));

        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = create.OrderId })).Order;
        output.WriteLine($"{server.Provider}: 22 concurrent shipments of one order, {aborted} ABORTED answers retried by the clients");
        Assert.Equal(22, after.Items.Single(i => i.OrderItemId == "A").QuantityShipped);
        Assert.Equal(22, after.Shipments.Count);
        Assert.Equal(22, await server.QueryDatabaseAsync(db =>
            db.OrderEvents.CountAsync(e => e.OrderId == create.OrderId && e.Type == "ShipmentConfirmed")));
        // The server's re-runs absorb most conflicts: fewer ABORTED than calls.
        Assert.True(aborted < 22, $"{aborted} ABORTED for 22 calls");
    }

    [Fact]
    public async Task A_cancellation_racing_a_shipment_leaves_each_order_either_canceled_or_shipped()
    {
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(_seller);
        var orderIds = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var order = await TestData.OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
            orderIds.Add(order.OrderId);
        }

        var outcomes = await Task.WhenAll(orderIds.Select(async orderId =>
        {
            var cancelRequest = TestData.Cancel(orderId);
            var shipRequest = TestData.Ship(orderId, ("A", 2), ("B", 1));
            var cancel = Outcome(() => seller.Orders.CancelOrderAsync(cancelRequest).ResponseAsync);
            var ship = Outcome(() => seller.Orders.ConfirmShipmentAsync(shipRequest).ResponseAsync);
            return (orderId, Cancel: await cancel, Ship: await ship);
        }));

        foreach (var (orderId, cancel, ship) in outcomes)
        {
            var order = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;
            // Exactly one wins (R11, R12); the loser is refused in the winner's state, never INTERNAL.
            Assert.True(cancel == StatusCode.OK ^ ship == StatusCode.OK, $"{orderId}: cancel {cancel}, ship {ship}");
            Assert.Equal(cancel == StatusCode.OK ? OrderStatus.Canceled : OrderStatus.Shipped, order.Status);
            Assert.True((cancel == StatusCode.OK ? ship : cancel) == StatusCode.FailedPrecondition, $"{orderId}: cancel {cancel}, ship {ship}");
        }

        output.WriteLine($"{server.Provider}: 20 cancel/ship races: {outcomes.Count(o => o.Cancel == StatusCode.OK)} canceled, {outcomes.Count(o => o.Ship == StatusCode.OK)} shipped");
    }

    /// <summary>OK, or the refusal's code; a client retries ABORTED with the same message.</summary>
    private static async Task<StatusCode> Outcome(Func<Task> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return StatusCode.OK;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted && attempt < 20)
            {
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
    }
}
