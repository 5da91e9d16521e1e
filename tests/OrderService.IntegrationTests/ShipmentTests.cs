using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>ConfirmShipment (R2, R3, R12).</summary>
[Collection(ServerCollection.Name)]
public sealed class ShipmentTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task Shipping_some_units_then_the_rest_goes_partially_shipped_then_shipped()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var partial = await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1)));
        Assert.Equal(OrderStatus.PartiallyShipped, partial.Order.Status);
        Assert.Equal(1, partial.Order.Items.Single(i => i.OrderItemId == "A").QuantityUnshipped);
        Assert.Equal("4470-1234-5678", partial.Shipment.TrackingNumber);

        var full = await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1), ("B", 1)));
        Assert.Equal(OrderStatus.Shipped, full.Order.Status);
        Assert.All(full.Order.Items, item => Assert.Equal(0, item.QuantityUnshipped));
        Assert.Equal(2, full.Order.Shipments.Count);
        Assert.Null(full.Order.AutoCancelTime);
    }

    [Fact]
    public async Task R2_a_pending_order_cannot_be_shipped_and_stays_unchanged()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var error = await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_PENDING",
            () => seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);

        Assert.Contains("T2", error.Status.Detail, StringComparison.Ordinal);
        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(OrderStatus.Pending, after.Status);
        Assert.Equal(order.Etag, after.Etag);
    }

    [Fact]
    public async Task R12_a_shipped_order_has_nothing_left_to_ship()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_SHIPPED",
            () => seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);
    }

    [Fact]
    public async Task Shipping_more_than_is_unshipped_is_refused_and_ships_nothing()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var error = await Expect.Failure(StatusCode.FailedPrecondition, "QUANTITY_EXCEEDS_UNSHIPPED",
            () => seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("B", 1), ("A", 2))).ResponseAsync);

        var violation = error.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations.Single();
        Assert.Equal("lines[1].quantity", violation.Subject);
        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(0, after.Items.Single(i => i.OrderItemId == "B").QuantityShipped);
        Assert.Equal(order.Etag, after.Etag);
    }

    [Fact]
    public async Task A_replayed_shipment_returns_the_first_answer_and_ships_once()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Ship(order.OrderId, ("A", 1));

        var first = await seller.Orders.ConfirmShipmentAsync(request);
        var replay = await seller.Orders.ConfirmShipmentAsync(request);

        Assert.Equal(first, replay);
        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(1, after.Items.Single(i => i.OrderItemId == "A").QuantityShipped);
        Assert.Single(after.Shipments);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_shipment_ship_once_and_all_get_the_first_answer()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Ship(order.OrderId, ("A", 2), ("B", 1));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => seller.Orders.ConfirmShipmentAsync(request).ResponseAsync));

        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Single(after.Shipments);
        Assert.Equal(OrderStatus.Shipped, after.Status);
    }

    [Fact]
    public async Task Concurrent_shipments_of_the_same_units_never_ship_more_than_was_ordered()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        // Five different requests each try to ship both units of A at once.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            try
            {
                await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 2)));
                return StatusCode.OK;
            }
            catch (RpcException exception)
            {
                return exception.StatusCode;
            }
        }));

        Assert.Equal(1, attempts.Count(code => code == StatusCode.OK));
        Assert.All(attempts.Where(code => code != StatusCode.OK),
            code => Assert.True(code is StatusCode.FailedPrecondition or StatusCode.Aborted, code.ToString()));
        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(2, after.Items.Single(i => i.OrderItemId == "A").QuantityShipped);
        Assert.Single(after.Shipments);
        var events = await server.QueryDatabaseAsync(db =>
            db.OrderEvents.CountAsync(e => e.OrderId == order.OrderId && e.Type == "ShipmentConfirmed"));
        Assert.Equal(1, events);
    }

    public static TheoryData<string, Action<ConfirmShipmentRequest>> InvalidShipRequests => new()
    {
        { "request_id", r => r.RequestId = "" },
        { "order_id", r => r.OrderId = "" },
        { "lines", r => r.Lines.Clear() },
        { "lines[0].quantity", r => r.Lines[0].Quantity = 0 },
        { "lines[0].order_item_id", r => r.Lines[0].OrderItemId = "" },
        { "lines[0].order_item_id", r => r.Lines[0].OrderItemId = "NO-SUCH-ITEM" },
        { "carrier", r => r.Carrier = "" },
        { "tracking_number", r => r.TrackingNumber = new string('1', 101) },
        { "ship_time", r => r.ShipTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)) },
    };

    [Theory]
    [MemberData(nameof(InvalidShipRequests))]
    public async Task An_invalid_shipment_is_invalid_argument_naming_the_field_and_ships_nothing(string field, Action<ConfirmShipmentRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Ship(order.OrderId, ("A", 1));
        spoil(request);

        await Expect.InvalidArgument(field, () => seller.Orders.ConfirmShipmentAsync(request).ResponseAsync);

        var after = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(OrderStatus.Unshipped, after.Status);
        Assert.Empty(after.Shipments);
    }
}
