using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>RequestCancellation: the buyer's official route (R13). A PENDING order is
/// canceled by the marketplace at once and never counts (R17); otherwise the request is put
/// on the order, the seller is told (R13) and can find it in the order list (R31), and the
/// seller must acknowledge it to ship anyway.</summary>
[Collection(ServerCollection.Name)]
public sealed class BuyerCancellationTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R13_R17_a_request_on_a_pending_order_cancels_it_at_once_through_the_marketplace_without_counting()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var buyerStream = await Subscribed(buyer, new SubscribeRequest { OrderIds = { order.OrderId } });

        var answer = await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, "Changed my mind."));

        Assert.Equal(OrderStatus.Canceled, answer.Order.Status);
        var cancellation = answer.Order.Cancellation;
        Assert.NotNull(cancellation);
        Assert.Equal(CancelReason.BuyerCanceled, cancellation.Reason);
        Assert.Equal(CancellationRequester.BuyerOfficial, cancellation.Requester);
        Assert.Equal(CancellationExecutor.Marketplace, cancellation.Executor);
        Assert.False(cancellation.CountsAgainstSellerRate);
        Assert.True(cancellation.WholeOrder);
        Assert.Equal([cancellation], answer.Order.Cancellations); // R18: the one act
        // docs/decisions.md: the buyer asked officially, and the record says why.
        Assert.Equal("Changed my mind.", answer.Order.BuyerCancellationRequest.Reason);
        Assert.Null(answer.Order.ShippingAddress); // still never authorized (R1)

        var notice = (await Next(buyerStream, 1))[0];
        Assert.Equal(NotificationType.OrderCanceled, notice.Type);
        Assert.Equal(CancellationExecutor.Marketplace, notice.Cancellation.Executor);
        using var seller = server.Seller(_seller);
        Assert.Equal(OrderStatus.Canceled, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Status);
    }

    [Fact]
    public async Task R13_a_request_on_an_unshipped_order_is_recorded_and_the_seller_is_notified()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        using var sellerStream = await Subscribed(seller, new SubscribeRequest { OrderIds = { order.OrderId } });
        var before = DateTimeOffset.UtcNow;

        var answer = await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, "Found it cheaper elsewhere."));

        Assert.Equal(OrderStatus.Unshipped, answer.Order.Status);
        Assert.Null(answer.Order.Cancellation);
        Assert.Empty(answer.Order.Cancellations); // a request is not a cancellation
        Assert.Equal("Found it cheaper elsewhere.", answer.Order.BuyerCancellationRequest.Reason);
        Assert.InRange(answer.Order.BuyerCancellationRequest.RequestTime.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var notice = (await Next(sellerStream, 1))[0];
        Assert.Equal(NotificationType.BuyerCancellationRequested, notice.Type);
        Assert.Equal(NotificationAudience.Seller, notice.Audience);
        Assert.Equal(OrderStatus.Unshipped, notice.Order.Status);
        Assert.True(notice.Order.BuyerCancellationRequested);
        Assert.Equal("Found it cheaper elsewhere.", notice.Order.BuyerCancellationReason);

        var seen = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(answer.Order.BuyerCancellationRequest, seen.BuyerCancellationRequest);
    }

    [Fact]
    public async Task R13_a_request_on_a_partially_shipped_order_is_recorded_and_the_status_stays()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);

        var answer = await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));

        Assert.Equal(OrderStatus.PartiallyShipped, answer.Order.Status);
        Assert.Equal("I ordered the wrong size.", answer.Order.BuyerCancellationRequest.Reason);
        Assert.Equal(1, answer.Order.Items.Single(i => i.OrderItemId == "A").QuantityShipped);
        var events = await server.QueryDatabaseAsync(db => db.OrderEvents
            .CountAsync(e => e.OrderId == order.OrderId && e.Type == "BuyerCancellationRequested"));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task R11_R13_the_request_is_a_seller_notice_only_and_the_buyer_hears_of_the_cancellation()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        using var buyerStream = await Subscribed(buyer, new SubscribeRequest { OrderIds = { order.OrderId } });

        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));
        await seller.Orders.CancelOrderAsync(Cancel(order.OrderId, CancelReason.BuyerCanceled));

        // Notices come in event order: had the request reached the buyer, it came first.
        var first = (await Next(buyerStream, 1))[0];
        Assert.Equal(NotificationType.OrderCanceled, first.Type);
        Assert.Equal(CancellationRequester.BuyerOfficial, first.Cancellation.Requester);
        Assert.False(first.Cancellation.CountsAgainstSellerRate); // R14
    }

    [Fact]
    public async Task R31_orders_with_a_buyer_request_are_found_by_the_has_buyer_cancellation_request_filter()
    {
        var requested = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var plain = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(requested.OrderId, "Arrives too late for the party."));

        var with = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest { HasBuyerCancellationRequest = true })).Orders;
        var without = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest { HasBuyerCancellationRequest = false })).Orders;

        Assert.Equal([requested.OrderId], with.Select(o => o.OrderId));
        Assert.Equal("Arrives too late for the party.", with[0].BuyerCancellationRequest.Reason);
        Assert.Equal([plain.OrderId], without.Select(o => o.OrderId));
    }

    [Fact]
    public async Task R13_a_second_request_is_refused_and_the_first_reason_stays()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, "First reason."));

        await Expect.Failure(StatusCode.FailedPrecondition, "CANCELLATION_ALREADY_REQUESTED",
            () => buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, "Second reason.")).ResponseAsync);

        var seen = (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal("First reason.", seen.BuyerCancellationRequest.Reason);
    }

    [Fact]
    public async Task R13_a_replayed_request_returns_the_first_answer_and_notifies_once()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        var request = BuyerRequest(order.OrderId);

        var first = await buyer.Orders.RequestCancellationAsync(request);
        var replay = await buyer.Orders.RequestCancellationAsync(request);

        Assert.Equal(first, replay);
        var events = await server.QueryDatabaseAsync(db => db.OrderEvents
            .CountAsync(e => e.OrderId == order.OrderId && e.Type == "BuyerCancellationRequested"));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task R12_a_shipped_order_cannot_be_requested_canceled_and_the_refusal_names_T3()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);

        var error = await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_SHIPPED",
            () => buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId)).ResponseAsync);

        Assert.Equal("T3", Expect.ErrorInfo(error).Metadata["reply_template"]);
        var seen = (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Null(seen.BuyerCancellationRequest);
        Assert.Equal(order.Etag, seen.Etag);
    }

    [Fact]
    public async Task R16_a_canceled_order_cannot_be_requested_canceled()
    {
        var order = await OrderIn(server, OrderStatus.Canceled, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);

        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_CANCELED",
            () => buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId)).ResponseAsync);

        var seen = (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Null(seen.BuyerCancellationRequest);
    }

    [Fact]
    public async Task R13_shipping_an_order_with_an_open_request_needs_the_sellers_acknowledgement()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));

        await Expect.Failure(StatusCode.FailedPrecondition, "BUYER_CANCELLATION_REQUESTED",
            () => seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 2), ("B", 1))).ResponseAsync);
        var notShipped = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(OrderStatus.Unshipped, notShipped.Status);
        Assert.Empty(notShipped.Shipments);

        var acknowledged = Ship(order.OrderId, ("A", 2), ("B", 1));
        acknowledged.AcknowledgeBuyerCancellationRequest = true;
        var shipped = await seller.Orders.ConfirmShipmentAsync(acknowledged);

        Assert.Equal(OrderStatus.Shipped, shipped.Order.Status);
    }

    [Fact]
    public async Task Only_the_orders_buyer_may_request_cancellation()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var marketplace = server.Marketplace();
        using var otherBuyer = server.Buyer(NewId("B"));

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => seller.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId)).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => marketplace.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId)).ResponseAsync);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherBuyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId)).ResponseAsync);

        var seen = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Null(seen.BuyerCancellationRequest);
    }

    public static TheoryData<string, Action<RequestCancellationRequest>> InvalidBuyerRequests => new()
    {
        { "request_id", r => r.RequestId = "" },
        { "request_id", r => r.RequestId = "not-a-uuid" },
        { "order_id", r => r.OrderId = "" },
        { "reason", r => r.Reason = "" },
        { "reason", r => r.Reason = new string('r', 501) },
    };

    [Theory]
    [MemberData(nameof(InvalidBuyerRequests))]
    public async Task R13_an_invalid_request_is_invalid_argument_naming_the_field_and_records_nothing(string field, Action<RequestCancellationRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        var request = BuyerRequest(order.OrderId);
        spoil(request);

        await Expect.InvalidArgument(field, () => buyer.Orders.RequestCancellationAsync(request).ResponseAsync);

        var seen = (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Null(seen.BuyerCancellationRequest);
        Assert.Equal(order.Etag, seen.Etag);
    }

    [Fact]
    public async Task R13_a_reason_of_500_characters_is_shown_to_the_seller_whole()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        var reason = new string('r', 500);

        var answer = await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, reason));

        Assert.Equal(reason, answer.Order.BuyerCancellationRequest.Reason);
    }
}
