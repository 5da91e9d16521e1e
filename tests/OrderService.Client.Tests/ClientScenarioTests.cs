using Grpc.Core;
using OrderService.Contracts.V1;

namespace OrderService.Client.Tests;

/// <summary>The scenario every language's client shows (clients/README.md), through the C#
/// library against a real server process.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClientScenarioTests(ServerProcess server)
{
    private readonly Orders _orders = new();

    [Fact]
    public async Task Seller_and_buyer_get_every_notice_once_in_order_across_a_server_restart()
    {
        var orderId = _orders.OrderId(1);
        using var marketplace = server.As("marketplace", "intake");
        using var seller = server.As("seller", _orders.SellerId);
        using var buyer = server.As("buyer", _orders.BuyerId);
        var sellerCursor = new MemoryCursorStore();
        var buyerCursor = new MemoryCursorStore();
        await using var sellerApp = new Subscriber(seller, orderId, sellerCursor);
        await using var buyerApp = new Subscriber(buyer, orderId, buyerCursor);
        // The start cursors are stored before anything happens: nothing after them is missed.
        await Subscriber.Until(() => sellerCursor.Cursor is not null && buyerCursor.Cursor is not null, "the start cursors");

        await marketplace.Orders.CreateOrderAsync(_orders.Create(orderId));
        await marketplace.Orders.AuthorizePaymentAsync(Orders.Authorize(orderId));
        await sellerApp.WaitFor(2);
        await buyerApp.WaitFor(1);

        await server.Restart();
        var canceled = await seller.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = orderId, Reason = CancelReason.NoInventory });
        Assert.Equal(OrderStatus.Canceled, canceled.Order.Status); // R11
        await sellerApp.WaitFor(3);
        await buyerApp.WaitFor(2);
        await Task.Delay(1500); // a heartbeat more: nothing else may come

        Assert.Equal([NotificationType.OrderCreated, NotificationType.PaymentAuthorized, NotificationType.OrderCanceled], sellerApp.Types);
        Assert.Equal([NotificationType.OrderCreated, NotificationType.OrderCanceled], buyerApp.Types);
        Assert.All(sellerApp.Received, n => Assert.Equal(NotificationAudience.Seller, n.Audience));
        Assert.All(buyerApp.Received, n => Assert.Equal(NotificationAudience.Buyer, n.Audience));
        Assert.True(sellerApp.Reconnects > 0 && buyerApp.Reconnects > 0, "the restart ended both streams");
    }

    [Fact]
    public async Task A_store_that_lost_its_last_writes_still_hands_each_notice_over_once()
    {
        var orderId = _orders.OrderId(2);
        using var marketplace = server.As("marketplace", "intake");
        using var seller = server.As("seller", _orders.SellerId);
        var cursor = new ForgetfulCursorStore();
        await using var sellerApp = new Subscriber(seller, orderId, cursor);
        await Subscriber.Until(() => cursor.Cursor is not null, "the start cursor");
        var start = cursor.Cursor;
        cursor.Freeze();

        await marketplace.Orders.CreateOrderAsync(_orders.Create(orderId));
        await marketplace.Orders.AuthorizePaymentAsync(Orders.Authorize(orderId));
        await sellerApp.WaitFor(2);
        // The restart makes it resume from the start cursor: the server sends both notices again.
        await server.Restart();
        await seller.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = orderId, Reason = CancelReason.NoInventory });
        await sellerApp.WaitFor(3);
        await Task.Delay(1500);

        Assert.Equal(start, cursor.Cursor);
        Assert.True(sellerApp.Reconnects > 0);
        Assert.Equal([NotificationType.OrderCreated, NotificationType.PaymentAuthorized, NotificationType.OrderCanceled], sellerApp.Types);
        Assert.Equal(3, sellerApp.Received.Select(n => n.NotificationId).Distinct().Count());
    }

    [Fact]
    public async Task A_refused_call_shows_its_code_reason_and_field()
    {
        using var marketplace = server.As("marketplace", "intake");
        var request = _orders.Create(_orders.OrderId(3));
        request.CurrencyCode = "yen";

        var refused = await Assert.ThrowsAsync<RpcException>(() => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);

        var error = refused.Details();
        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        Assert.Equal("INVALID_FIELD", error.Reason);
        Assert.Equal("orderservice", error.ErrorInfo!.Domain);
        Assert.Contains("currency_code", error.InvalidFields);
        Assert.StartsWith("INVALID_ARGUMENT (INVALID_FIELD): ", error.ToString());
        Assert.Contains("\n  field currency_code: ", error.ToString());
    }

    [Fact]
    public async Task A_refusal_in_the_order_state_carries_its_precondition_and_metadata()
    {
        var orderId = _orders.OrderId(4);
        using var marketplace = server.As("marketplace", "intake");
        using var seller = server.As("seller", _orders.SellerId);
        await marketplace.Orders.CreateOrderAsync(_orders.Create(orderId));

        var refused = await Assert.ThrowsAsync<RpcException>(() => seller.Orders.ConfirmShipmentAsync(new ConfirmShipmentRequest
        {
            OrderId = orderId, Lines = { new ShipmentLine { OrderItemId = "A", Quantity = 1 } }, Carrier = "Yamato", TrackingNumber = "1",
        }).ResponseAsync);

        var error = refused.Details();
        Assert.Equal(StatusCode.FailedPrecondition, error.Code); // R2
        Assert.Equal("ORDER_PENDING", error.Reason);
        Assert.Equal("PENDING", error.Metadata("order_status"));
        Assert.NotEmpty(error.PreconditionFailure!.Violations);
    }
}
