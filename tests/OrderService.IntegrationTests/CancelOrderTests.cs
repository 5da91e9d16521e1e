using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>CancelOrder: the seller cancels a whole UNSHIPPED order (R10), the buyer sees it
/// at once and is told (R11), refusals name the way forward (R2, R12, R16, R21), every
/// cancellation records who asked and whether it counts (R14, R15, R18), and validate_only
/// shows the effect on the seller's rate before committing (R17).</summary>
[Collection(ServerCollection.Name)]
public sealed class CancelOrderTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R10_R11_a_seller_cancels_an_unshipped_order_and_the_buyer_sees_it_canceled_at_once()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        var request = Cancel(order.OrderId);
        request.Note = "Last unit was damaged in the warehouse.";
        var before = DateTimeOffset.UtcNow;

        var answer = await seller.Orders.CancelOrderAsync(request);

        Assert.Equal(OrderStatus.Canceled, answer.Order.Status);
        var cancellation = answer.Order.Cancellation;
        Assert.NotNull(cancellation);
        Assert.Equal(CancelReason.NoInventory, cancellation.Reason);
        Assert.Equal(CancellationRequester.Seller, cancellation.Requester); // UNSPECIFIED means SELLER
        Assert.Equal(CancellationExecutor.Seller, cancellation.Executor);
        Assert.True(cancellation.CountsAgainstSellerRate);
        Assert.Equal("Last unit was damaged in the warehouse.", cancellation.Note);
        Assert.InRange(cancellation.CancelTime.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(cancellation, answer.Cancellation);
        Assert.True(cancellation.WholeOrder);
        Assert.Equal([("A", 2), ("B", 1)], cancellation.Units.Select(u => (u.OrderItemId, u.Quantity)).Order());
        Assert.Equal([cancellation], answer.Order.Cancellations); // R18: the one act
        Assert.All(answer.Order.Items, item =>
        {
            Assert.Equal(item.QuantityOrdered, item.QuantityCanceled);
            Assert.Equal(0, item.QuantityUnshipped);
        });
        Assert.Null(answer.Order.AutoCancelTime);
        Assert.NotEqual(order.Etag, answer.Order.Etag);

        // The seller's only order, so its 7-day rate goes from 0 to 100 % (R17).
        Assert.True(answer.RateImpact.CountsAgainstSellerRate);
        Assert.Equal(0, answer.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(10_000, answer.RateImpact.RateAfterBasisPoints);
        Assert.Equal(250, answer.RateImpact.TargetBasisPoints);
        Assert.True(answer.RateImpact.CrossesTarget);

        // R11: the buyer's view changes at once.
        var seenByBuyer = (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(OrderStatus.Canceled, seenByBuyer.Status);
        Assert.Equal(cancellation, seenByBuyer.Cancellation);

        var events = await server.QueryDatabaseAsync(db => db.OrderEvents
            .Where(e => e.OrderId == order.OrderId).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());
        Assert.Equal(["OrderCreated", "PaymentAuthorized", "OrderCanceled"], events);
    }

    [Fact]
    public async Task R11_the_cancellation_notice_reaches_the_buyer_and_the_seller_with_its_attribution()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        using var buyerStream = await Subscribed(buyer, new SubscribeRequest { OrderIds = { order.OrderId } });
        using var sellerStream = await Subscribed(seller, new SubscribeRequest { OrderIds = { order.OrderId } });

        await seller.Orders.CancelOrderAsync(Cancel(order.OrderId, CancelReason.ShippingAddressUndeliverable));

        var toBuyer = (await Next(buyerStream, 1))[0];
        Assert.Equal(NotificationType.OrderCanceled, toBuyer.Type);
        Assert.Equal(NotificationAudience.Buyer, toBuyer.Audience);
        Assert.Equal(order.OrderId, toBuyer.OrderId);
        Assert.Equal(OrderStatus.Canceled, toBuyer.Order.Status);
        Assert.All(toBuyer.Order.Items, item => Assert.Equal(item.QuantityOrdered, item.QuantityCanceled));
        Assert.Equal(CancelReason.ShippingAddressUndeliverable, toBuyer.Cancellation.Reason);
        Assert.Equal(CancellationRequester.Seller, toBuyer.Cancellation.Requester);
        Assert.Equal(CancellationExecutor.Seller, toBuyer.Cancellation.Executor);
        Assert.True(toBuyer.Cancellation.CountsAgainstSellerRate);

        var toSeller = (await Next(sellerStream, 1))[0];
        Assert.Equal(NotificationType.OrderCanceled, toSeller.Type);
        Assert.Equal(NotificationAudience.Seller, toSeller.Audience);
        Assert.Equal(CancelReason.ShippingAddressUndeliverable, toSeller.Cancellation.Reason);
        Assert.NotEqual(toBuyer.NotificationId, toSeller.NotificationId);
    }

    /// <summary>(official buyer request on the order, reason, requester the seller names,
    /// requester recorded, counts against the seller).</summary>
    public static TheoryData<bool, CancelReason, CancellationRequester, CancellationRequester, bool> Attributions => new()
    {
        // R14: the buyer asked officially and the seller cancels as "buyer canceled": free.
        { true, CancelReason.BuyerCanceled, CancellationRequester.Unspecified, CancellationRequester.BuyerOfficial, false },
        { true, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, CancellationRequester.BuyerOfficial, false },
        // Official request, but canceled for another reason: the buyer still asked, it counts.
        { true, CancelReason.NoInventory, CancellationRequester.Seller, CancellationRequester.BuyerOfficial, true },
        // R15: no official request; a buyer's message is the unofficial route and counts.
        { false, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, CancellationRequester.BuyerMessage, true },
        // R15: "buyer canceled" with no official request is an unofficial buyer cancellation.
        { false, CancelReason.BuyerCanceled, CancellationRequester.Seller, CancellationRequester.Seller, true },
        { false, CancelReason.BuyerCanceled, CancellationRequester.Unspecified, CancellationRequester.Seller, true },
        // The seller's own reasons.
        { false, CancelReason.NoInventory, CancellationRequester.Seller, CancellationRequester.Seller, true },
        { false, CancelReason.PricingError, CancellationRequester.Unspecified, CancellationRequester.Seller, true },
    };

    [Theory]
    [MemberData(nameof(Attributions))]
    public async Task R14_R15_R18_every_cancellation_records_who_asked_and_whether_it_counts(
        bool officialRequest, CancelReason reason, CancellationRequester named, CancellationRequester recorded, bool counts)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        if (officialRequest)
        {
            using var buyer = server.Buyer(_buyer);
            await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));
        }

        var answer = await seller.Orders.CancelOrderAsync(Cancel(order.OrderId, reason, named));

        Assert.Equal(OrderStatus.Canceled, answer.Order.Status);
        foreach (var cancellation in new[] { answer.Cancellation, answer.Order.Cancellation })
        {
            Assert.Equal(reason, cancellation.Reason);
            Assert.Equal(recorded, cancellation.Requester);
            Assert.Equal(CancellationExecutor.Seller, cancellation.Executor);
            Assert.Equal(counts, cancellation.CountsAgainstSellerRate);
        }

        Assert.Equal(counts, answer.RateImpact.CountsAgainstSellerRate);
        var stored = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(answer.Cancellation, stored.Cancellation);
        // docs/decisions.md: the buyer's request stays on the order after the cancellation (R31).
        Assert.Equal(officialRequest, stored.BuyerCancellationRequest is not null);
    }

    [Fact]
    public async Task R2_a_pending_order_cannot_be_canceled_by_the_seller_and_stays_unchanged()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var seller = server.Seller(_seller);

        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_PENDING",
            () => seller.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);

        await AssertUnchanged(order);
    }

    [Fact]
    public async Task R12_a_shipped_order_cannot_be_canceled_and_the_refusal_names_T3_and_RecordReturn()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var error = await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_SHIPPED",
            () => seller.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);

        var info = Expect.ErrorInfo(error);
        Assert.Equal("T3", info.Metadata["reply_template"]);
        Assert.Equal("orderservice.v1.RefundService/RecordReturn", info.Metadata["use_instead"]);
        await AssertUnchanged(order);
    }

    [Fact]
    public async Task R21_a_partially_shipped_order_cannot_be_canceled_whole_and_the_refusal_names_CancelItems()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var error = await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_PARTIALLY_SHIPPED",
            () => seller.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);

        Assert.Equal("orderservice.v1.RefundService/CancelItems", Expect.ErrorInfo(error).Metadata["use_instead"]);
        await AssertUnchanged(order);
    }

    [Fact]
    public async Task R16_a_canceled_order_is_not_canceled_again_but_a_replay_gets_the_first_answer()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Cancel(order.OrderId);

        var first = await seller.Orders.CancelOrderAsync(request);
        var replay = await seller.Orders.CancelOrderAsync(request);
        var error = await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_CANCELED",
            () => seller.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);

        Assert.Equal(first, replay);
        Assert.Equal("T5", Expect.ErrorInfo(error).Metadata["reply_template"]);
        Assert.Equal(1, await CanceledEvents(order.OrderId));
        var stored = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(first.Order.Etag, stored.Etag);
    }

    [Fact]
    public async Task R16_concurrent_cancellations_of_one_order_cancel_it_once()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            try
            {
                await seller.Orders.CancelOrderAsync(Cancel(order.OrderId));
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
        Assert.Equal(1, await CanceledEvents(order.OrderId));
    }

    [Fact]
    public async Task A_request_id_reused_for_another_cancellation_is_already_exists_and_cancels_nothing_more()
    {
        var first = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var second = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Cancel(first.OrderId);
        await seller.Orders.CancelOrderAsync(request);
        var reused = Cancel(second.OrderId);
        reused.RequestId = request.RequestId;

        var error = await Expect.Failure(StatusCode.AlreadyExists, "REQUEST_ID_REUSED",
            () => seller.Orders.CancelOrderAsync(reused).ResponseAsync);

        Assert.Contains("request_id", error.InvalidFields());
        await AssertUnchanged(second);
    }

    [Fact]
    public async Task Only_the_seller_may_cancel_and_another_sellers_order_is_not_found()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var marketplace = server.Marketplace();
        using var otherSeller = server.Seller(NewId("S"));

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => buyer.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => marketplace.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherSeller.Orders.CancelOrderAsync(Cancel(order.OrderId)).ResponseAsync);
        using var seller = server.Seller(_seller);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => seller.Orders.CancelOrderAsync(Cancel(NewId("missing"))).ResponseAsync);

        await AssertUnchanged(order);
    }

    /// <summary>(field named, ErrorInfo reason or "" when any reason will do, spoil).</summary>
    public static TheoryData<string, string, Action<CancelOrderRequest>> InvalidCancelRequests => new()
    {
        { "request_id", "", r => r.RequestId = "" },
        { "request_id", "", r => r.RequestId = "not-a-uuid" },
        { "order_id", "", r => r.OrderId = "" },
        { "reason", "", r => r.Reason = CancelReason.Unspecified },
        { "reason", "", r => r.Reason = (CancelReason)99 },
        { "reason", "REASON_RESERVED", r => r.Reason = CancelReason.ShipDateMissed },
        { "reason", "REASON_RESERVED", r => r.Reason = CancelReason.PaymentNotAuthorized },
        { "requester", "REQUESTER_NOT_ALLOWED", r => r.Requester = CancellationRequester.BuyerOfficial },
        { "requester", "REQUESTER_NOT_ALLOWED", r => r.Requester = CancellationRequester.Marketplace },
        { "requester", "", r => r.Requester = (CancellationRequester)99 },
        { "note", "", r => r.Note = new string('n', 1001) },
    };

    [Theory]
    [MemberData(nameof(InvalidCancelRequests))]
    public async Task R10_an_invalid_cancellation_is_invalid_argument_naming_the_field_and_cancels_nothing(
        string field, string reason, Action<CancelOrderRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Cancel(order.OrderId);
        spoil(request);

        var error = await Expect.InvalidArgument(field, () => seller.Orders.CancelOrderAsync(request).ResponseAsync);

        if (reason != "")
        {
            Assert.Equal(reason, error.Reason());
        }

        await AssertUnchanged(order);
    }

    [Fact]
    public async Task R10_a_note_of_1000_characters_is_kept_with_the_cancellation()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Cancel(order.OrderId);
        request.Note = new string('n', 1000);

        var answer = await seller.Orders.CancelOrderAsync(request);

        Assert.Equal(request.Note, answer.Cancellation.Note);
    }

    [Fact]
    public async Task R12_argument_mistakes_are_reported_before_the_orders_state()
    {
        // docs/decisions.md: a reserved reason is wrong in every state, so a shipped order
        // gets the same INVALID_ARGUMENT an unshipped one would.
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var error = await Expect.InvalidArgument("reason",
            () => seller.Orders.CancelOrderAsync(Cancel(order.OrderId, CancelReason.ShipDateMissed)).ResponseAsync);

        Assert.Equal("REASON_RESERVED", error.Reason());
    }

    [Fact]
    public async Task R17_validate_only_answers_what_would_happen_changes_nothing_and_leaves_the_request_id_unused()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Cancel(order.OrderId, CancelReason.CustomerExchange, CancellationRequester.BuyerMessage, validateOnly: true);
        request.Note = "Buyer wrote that they want another colour.";
        var current = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        var eventsBefore = await EventCount(order.OrderId);

        var preview = await seller.Orders.CancelOrderAsync(request);

        Assert.Equal(current, preview.Order); // the order as it is now
        Assert.Equal(CancelReason.CustomerExchange, preview.Cancellation.Reason);
        Assert.Equal(CancellationRequester.BuyerMessage, preview.Cancellation.Requester);
        Assert.Equal(CancellationExecutor.Seller, preview.Cancellation.Executor);
        Assert.True(preview.Cancellation.CountsAgainstSellerRate); // R15
        Assert.Equal(request.Note, preview.Cancellation.Note);
        Assert.True(preview.Cancellation.WholeOrder);
        Assert.Equal([("A", 2), ("B", 1)], preview.Cancellation.Units.Select(u => (u.OrderItemId, u.Quantity)).Order());
        Assert.Empty(preview.Order.Cancellations);
        Assert.True(preview.RateImpact.CountsAgainstSellerRate);
        Assert.Equal(0, preview.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(10_000, preview.RateImpact.RateAfterBasisPoints);
        Assert.Equal(250, preview.RateImpact.TargetBasisPoints);
        Assert.True(preview.RateImpact.CrossesTarget);
        await AssertUnchanged(order);
        Assert.Equal(eventsBefore, await EventCount(order.OrderId));

        // validate_only did not consume the request_id: the real cancellation may use it.
        request.ValidateOnly = false;
        var real = await seller.Orders.CancelOrderAsync(request);

        Assert.Equal(OrderStatus.Canceled, real.Order.Status);
        Assert.Equal(preview.Cancellation.Reason, real.Cancellation.Reason);
        Assert.Equal(preview.Cancellation.Requester, real.Cancellation.Requester);
        Assert.Equal(preview.Cancellation.WholeOrder, real.Cancellation.WholeOrder);
        Assert.Equal(preview.Cancellation.Units, real.Cancellation.Units);
        Assert.Equal(preview.RateImpact, real.RateImpact);
        Assert.Equal(1, await CanceledEvents(order.OrderId));
    }

    [Fact]
    public async Task R12_validate_only_gives_the_same_refusals_as_the_real_request()
    {
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var unshipped = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_SHIPPED",
            () => seller.Orders.CancelOrderAsync(Cancel(shipped.OrderId, validateOnly: true)).ResponseAsync);
        var error = await Expect.InvalidArgument("reason",
            () => seller.Orders.CancelOrderAsync(Cancel(unshipped.OrderId, CancelReason.PaymentNotAuthorized, validateOnly: true)).ResponseAsync);

        Assert.Equal("REASON_RESERVED", error.Reason());
        await AssertUnchanged(unshipped);
    }

    /// <summary>R17 with the example of the issue: 40 (or 41) authorized orders in the
    /// window, none canceled, and one of them about to be canceled: 1/40 = 250 bp, which is
    /// not under the target; 1/41 = 243.9 bp, rounded half up to 244, which is.</summary>
    [Theory]
    [InlineData(40, 250, true)]
    [InlineData(41, 244, false)]
    public async Task R17_validate_only_computes_the_rate_the_cancellation_would_leave(int orders, int after, bool crosses)
    {
        var ids = await SeedOrdersAsync(server, _seller, orders);
        using var seller = server.Seller(_seller);

        var preview = await seller.Orders.CancelOrderAsync(Cancel(ids[0], validateOnly: true));

        Assert.True(preview.RateImpact.CountsAgainstSellerRate);
        Assert.Equal(0, preview.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(after, preview.RateImpact.RateAfterBasisPoints);
        Assert.Equal(250, preview.RateImpact.TargetBasisPoints);
        Assert.Equal(crosses, preview.RateImpact.CrossesTarget);
        Assert.Equal(OrderStatus.Unshipped, preview.Order.Status);
    }

    [Fact]
    public async Task R17_a_rate_already_over_the_target_rises_without_crossing_it()
    {
        var ids = await SeedOrdersAsync(server, _seller, 40);
        using var seller = server.Seller(_seller);

        var first = await seller.Orders.CancelOrderAsync(Cancel(ids[0]));
        var second = await seller.Orders.CancelOrderAsync(Cancel(ids[1], validateOnly: true));

        Assert.Equal((0, 250, true), (first.RateImpact.RateBeforeBasisPoints, first.RateImpact.RateAfterBasisPoints, first.RateImpact.CrossesTarget));
        Assert.Equal(250, second.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(500, second.RateImpact.RateAfterBasisPoints);
        Assert.False(second.RateImpact.CrossesTarget); // it was not met before
    }

    [Fact]
    public async Task R14_R17_a_cancellation_that_does_not_count_leaves_the_rate_as_it_is()
    {
        var ids = await SeedOrdersAsync(server, _seller, 40);
        using var seller = server.Seller(_seller);
        await seller.Orders.CancelOrderAsync(Cancel(ids[0])); // 250 bp
        var requested = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer); // 41 orders: 244 bp
        using var buyer = server.Buyer(_buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(requested.OrderId));

        var preview = await seller.Orders.CancelOrderAsync(Cancel(requested.OrderId, CancelReason.BuyerCanceled, validateOnly: true));

        Assert.False(preview.RateImpact.CountsAgainstSellerRate);
        Assert.Equal(244, preview.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(244, preview.RateImpact.RateAfterBasisPoints);
        Assert.False(preview.RateImpact.CrossesTarget);
    }

    /// <summary>R17 counts a cancellation when it is made: an order purchased 10 days ago and
    /// canceled now is counted and joins the 40 orders purchased in the window, 1/41 = 244 bp.
    /// (Were the orders of the window those purchased in it, canceling old orders would be
    /// free.) Its ship date is ahead, so no auto-cancel gets there first.</summary>
    [Fact]
    public async Task R17_an_order_purchased_before_the_window_and_canceled_now_is_counted_and_joins_the_total()
    {
        var ids = await SeedOrdersAsync(server, _seller, 40);
        var now = DateTimeOffset.UtcNow;
        var old = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer, purchasedAt: now.AddDays(-10), latestShipAt: now.AddDays(1));
        using var seller = server.Seller(_seller);

        var preview = await seller.Orders.CancelOrderAsync(Cancel(old.OrderId, validateOnly: true));
        var answer = await seller.Orders.CancelOrderAsync(Cancel(old.OrderId));
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());

        Assert.Equal(preview.RateImpact, answer.RateImpact);
        Assert.True(answer.RateImpact.CountsAgainstSellerRate);
        Assert.Equal(0, answer.RateImpact.RateBeforeBasisPoints);
        Assert.Equal(244, answer.RateImpact.RateAfterBasisPoints);
        Assert.False(answer.RateImpact.CrossesTarget);
        Assert.Equal((1, 41, 244), (metrics.CountedCancellations, metrics.TotalOrders, metrics.RateBasisPoints));
        Assert.Equal([old.OrderId], metrics.CountedOrderIds);

        // The next cancellation, of an order of the window, starts from there: 2/41 = 488 bp,
        // and 244 was still under the target.
        var next = await seller.Orders.CancelOrderAsync(Cancel(ids[0], validateOnly: true));
        Assert.Equal((244, 488, true), (next.RateImpact.RateBeforeBasisPoints, next.RateImpact.RateAfterBasisPoints, next.RateImpact.CrossesTarget));
    }

    /// <summary>The order reads exactly as before: same status, same etag.</summary>
    private async Task AssertUnchanged(Order before)
    {
        using var seller = server.Seller(before.SellerId);
        var now = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = before.OrderId })).Order;
        Assert.Equal(before.Status, now.Status);
        Assert.Equal(before.Etag, now.Etag);
        Assert.Null(now.Cancellation);
    }

    private Task<int> CanceledEvents(string orderId) => TestData.EventCount(server, orderId, "OrderCanceled");

    private Task<int> EventCount(string orderId) => TestData.EventCount(server, orderId);
}
