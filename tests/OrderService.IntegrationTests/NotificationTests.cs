using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using OrderService.Server.Notifications;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>NotificationService.Subscribe: the buyer e-mails (R11) and seller notices (R13)
/// as one durable, resumable stream.</summary>
[Collection(ServerCollection.Name)]
public sealed class NotificationTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task A_seller_receives_its_orders_notices_live_with_the_order_summary()
    {
        using var seller = server.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest());

        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        var notices = await Next(stream, 3);

        Assert.Equal([NotificationType.OrderCreated, NotificationType.PaymentAuthorized, NotificationType.ShipmentConfirmed], notices.Select(n => n.Type));
        Assert.All(notices, n => Assert.Equal(order.OrderId, n.OrderId));
        Assert.All(notices, n => Assert.Equal(NotificationAudience.Seller, n.Audience));
        var shipped = notices[2].Order;
        Assert.Equal(OrderStatus.PartiallyShipped, shipped.Status);
        Assert.Equal(1, shipped.Items.Single(i => i.OrderItemId == "A").QuantityShipped);
        Assert.True(long.Parse(notices[0].Cursor) < long.Parse(notices[1].Cursor));
    }

    [Fact]
    public async Task A_buyer_receives_only_buyer_notices_of_its_own_orders()
    {
        using var buyer = server.Buyer(_buyer);
        using var stream = await Subscribed(buyer, new SubscribeRequest());

        await OrderIn(server, OrderStatus.Shipped, NewId("S"), NewId("B")); // someone else's order
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var notices = await Next(stream, 2);

        // PaymentAuthorized is a seller notice; the other buyer's order never shows.
        Assert.Equal([NotificationType.OrderCreated, NotificationType.ShipmentConfirmed], notices.Select(n => n.Type));
        Assert.All(notices, n => Assert.Equal(order.OrderId, n.OrderId));
        Assert.All(notices, n => Assert.Equal(NotificationAudience.Buyer, n.Audience));
    }

    [Fact]
    public async Task No_notice_about_another_sellers_orders_ever_reaches_a_seller()
    {
        using var seller = server.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest());

        var othersOrder = await OrderIn(server, OrderStatus.Shipped, NewId("S"), _buyer);
        var mine = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var first = (await Next(stream, 1))[0];

        // Events are delivered in id order: had the other seller's leaked, it came first.
        Assert.Equal(mine.OrderId, first.OrderId);
        var othersEvents = await server.QueryDatabaseAsync(db => db.OrderEvents.CountAsync(e => e.OrderId == othersOrder.OrderId));
        Assert.Equal(3, othersEvents);
    }

    [Fact]
    public async Task A_refused_request_produces_no_notice()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var marketplace = server.Marketplace();
        using var stream = await Subscribed(seller, new SubscribeRequest());

        await Assert.ThrowsAsync<RpcException>(() => seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(order.OrderId));

        Assert.Equal(NotificationType.PaymentAuthorized, (await Next(stream, 1))[0].Type);
    }

    [Fact]
    public async Task Resuming_after_a_disconnect_delivers_what_came_since_with_no_gap_or_duplicate()
    {
        using var seller = server.Seller(_seller);
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        string lastCursor;
        var seen = new List<Notification>();
        using (var first = await Subscribed(seller, new SubscribeRequest { ResumeAfter = await CursorBefore(order.OrderId) }))
        {
            seen.AddRange(await Next(first, 1));
            lastCursor = seen[^1].Cursor;
        }

        // While disconnected: two more changes.
        using var marketplace = server.Marketplace();
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(order.OrderId));
        await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 2), ("B", 1)));

        using var resumed = await Subscribed(seller, new SubscribeRequest { ResumeAfter = lastCursor });
        seen.AddRange(await Next(resumed, 2));

        Assert.Equal([NotificationType.OrderCreated, NotificationType.PaymentAuthorized, NotificationType.ShipmentConfirmed], seen.Select(n => n.Type));
        Assert.Equal(seen.Count, seen.Select(n => n.NotificationId).Distinct().Count());
        await AssertNothingMoreThanHeartbeats(resumed);
    }

    [Fact]
    public async Task Resuming_after_a_server_restart_replays_from_the_durable_log()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var from = await CursorBefore(order.OrderId);
        string cursor;
        await using (var beforeRestart = await server.StartSiblingAsync())
        {
            using var seller = beforeRestart.Seller(_seller);
            using var stream = await Subscribed(seller, new SubscribeRequest { ResumeAfter = from });
            cursor = (await Next(stream, 1))[0].Cursor;
        }

        using var marketplace = server.Marketplace();
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(order.OrderId));

        await using var afterRestart = await server.StartSiblingAsync();
        using var sellerAgain = afterRestart.Seller(_seller);
        using var resumed = await Subscribed(sellerAgain, new SubscribeRequest { ResumeAfter = cursor });
        var next = (await Next(resumed, 1))[0];

        Assert.Equal(NotificationType.PaymentAuthorized, next.Type);
        Assert.Equal(order.OrderId, next.OrderId);
    }

    [Fact]
    public async Task A_notice_committed_through_one_instance_reaches_a_subscriber_on_another()
    {
        // On PostgreSQL the second instance neither polls nor heartbeats within the test:
        // only LISTEN/NOTIFY can wake it. SQLite is one process by design; there the
        // second instance shares the file and finds the notice by polling.
        var settings = server.Provider == DatabaseProvider.Postgres
            ? new Dictionary<string, string?> { ["Notifications:PollInterval"] = "01:00:00", ["Notifications:HeartbeatInterval"] = "01:00:00" }
            : new Dictionary<string, string?>();
        await using var instanceB = await server.StartSiblingAsync(settings);
        using var sellerOnB = instanceB.Seller(_seller);
        using var stream = await Subscribed(sellerOnB, new SubscribeRequest());

        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer); // through instance A

        var notice = (await Next(stream, 1))[0];
        Assert.Equal(order.OrderId, notice.OrderId);
        Assert.Equal(NotificationType.OrderCreated, notice.Type);
    }

    [Fact]
    public async Task Under_concurrent_writers_a_live_subscriber_misses_nothing_and_sees_nothing_twice()
    {
        using var seller = server.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest());
        using var marketplace = server.Marketplace();

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            (await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer))).Order.OrderId));
        var notices = await Next(stream, 20);

        Assert.Equal(created.Order(), notices.Select(n => n.OrderId).Order());
        Assert.Equal(notices.Select(n => long.Parse(n.Cursor)).Order(), notices.Select(n => long.Parse(n.Cursor)));
        await AssertNothingMoreThanHeartbeats(stream);
    }

    [Fact]
    public async Task An_idle_stream_carries_heartbeats()
    {
        using var seller = server.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest());
        using var timeout = new CancellationTokenSource(Patience);

        Assert.True(await stream.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal(SubscribeResponse.KindOneofCase.Heartbeat, stream.ResponseStream.Current.KindCase);
        Assert.NotNull(stream.ResponseStream.Current.Heartbeat.ServerTime);
    }

    [Fact]
    public async Task Filters_by_type_and_order_id_narrow_the_stream()
    {
        var wanted = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest
        {
            Types_ = { NotificationType.ShipmentConfirmed },
            OrderIds = { wanted.OrderId },
        });

        await OrderIn(server, OrderStatus.Shipped, _seller, _buyer); // another order of the same seller
        using var marketplace = server.Marketplace();
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(wanted.OrderId));
        await seller.Orders.ConfirmShipmentAsync(Ship(wanted.OrderId, ("B", 1)));

        var notice = (await Next(stream, 1))[0];
        Assert.Equal(wanted.OrderId, notice.OrderId);
        Assert.Equal(NotificationType.ShipmentConfirmed, notice.Type);
    }

    [Fact]
    public async Task A_slow_subscriber_is_cut_off_resumably_while_a_fast_one_keeps_up()
    {
        const int events = 3000;
        await using var instance = await server.StartSiblingAsync(new Dictionary<string, string?>
        {
            ["Notifications:BufferCapacity"] = "8",
            ["Notifications:SlowSubscriberTimeout"] = "00:00:00.300",
            ["Notifications:BatchSize"] = "100",
        });
        var from = await CursorNow();
        await AppendEvents(events);
        using var slowConnection = instance.Seller(_seller);
        using var fastConnection = instance.Seller(_seller);

        using var slow = await Subscribed(slowConnection, new SubscribeRequest { ResumeAfter = from });
        var slowSeen = await Next(slow, 1); // then stops reading for a while
        using var fast = await Subscribed(fastConnection, new SubscribeRequest { ResumeAfter = from });
        var fastSeen = await Next(fast, events);
        Assert.Equal(events, fastSeen.Select(n => n.NotificationId).Distinct().Count());

        await Task.Delay(TimeSpan.FromSeconds(1));
        var cutOff = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await slow.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (slow.ResponseStream.Current.Notification is { } notice)
                {
                    slowSeen.Add(notice);
                }
            }
        });

        Assert.Equal(StatusCode.ResourceExhausted, cutOff.StatusCode);
        Assert.Equal("SUBSCRIBER_TOO_SLOW", cutOff.Reason());
        var resumeAfter = cutOff.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["resume_after"];
        Assert.Equal(slowSeen[^1].Cursor, resumeAfter);
        Assert.True(slowSeen.Count < events, $"the slow subscriber got all {events} notices: it was never cut off");

        using var resumed = await Subscribed(slowConnection, new SubscribeRequest { ResumeAfter = resumeAfter });
        slowSeen.AddRange(await Next(resumed, events - slowSeen.Count));
        Assert.Equal(fastSeen.Select(n => n.NotificationId), slowSeen.Select(n => n.NotificationId));
    }

    [Fact]
    public async Task A_client_that_reads_nothing_is_disconnected_and_holds_nothing_on_the_server()
    {
        await using var instance = await server.StartSiblingAsync(new Dictionary<string, string?>
        {
            ["Notifications:BufferCapacity"] = "8",
            ["Notifications:SlowSubscriberTimeout"] = "00:00:00.200",
            ["Notifications:StalledWriteTimeout"] = "00:00:00.200",
            ["Notifications:BatchSize"] = "100",
        });
        var streams = instance.Services.GetRequiredService<NotificationStreams>();
        var from = await CursorNow();
        await AppendEvents(3000);
        using var connection = instance.Seller(_seller);

        using var stalled = await Subscribed(connection, new SubscribeRequest { ResumeAfter = from });
        await Next(stalled, 1); // and never reads again
        Assert.Equal(1, streams.Active);

        var deadline = DateTime.UtcNow + Patience;
        while (streams.Active > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, streams.Active);
    }

    [Fact]
    public async Task A_cursor_beyond_the_log_is_out_of_range_naming_the_newest_cursor()
    {
        using var seller = server.Seller(_seller);
        var newest = await CursorNow();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Next(seller.Notifications.Subscribe(new SubscribeRequest { ResumeAfter = (long.Parse(newest) + 1000).ToString() }), 1));

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("CURSOR_AHEAD_OF_LOG", error.Reason());
        Assert.True(long.Parse(error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["newest_cursor"]) >= long.Parse(newest));
    }

    [Fact]
    public async Task A_heartbeat_carries_the_cursor_read_so_far_and_resuming_after_it_misses_nothing()
    {
        using var seller = server.Seller(_seller);
        string heartbeatCursor;
        using (var quiet = await Subscribed(seller, new SubscribeRequest()))
        {
            var othersOrder = await OrderIn(server, OrderStatus.Pending, NewId("S"), _buyer); // not for this seller
            var othersEvent = long.Parse(await CursorBefore(othersOrder.OrderId)) + 1;
            using var timeout = new CancellationTokenSource(Patience);
            do
            {
                Assert.True(await quiet.ResponseStream.MoveNext(timeout.Token));
                Assert.Equal(SubscribeResponse.KindOneofCase.Heartbeat, quiet.ResponseStream.Current.KindCase);
                heartbeatCursor = quiet.ResponseStream.Current.Heartbeat.Cursor;
            }
            while (long.Parse(heartbeatCursor) < othersEvent); // the stream read past it
        }

        var mine = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var resumed = await Subscribed(seller, new SubscribeRequest { ResumeAfter = heartbeatCursor });

        Assert.Equal(mine.OrderId, (await Next(resumed, 1))[0].OrderId);
    }

    [Fact]
    public async Task A_stream_ends_resumably_when_the_server_shuts_down()
    {
        var instance = await server.StartSiblingAsync();
        using var seller = instance.Seller(_seller);
        using var stream = await Subscribed(seller, new SubscribeRequest());
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var received = (await Next(stream, 1))[0];

        var stopping = instance.DisposeAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => Next(stream, 1));
        await stopping;

        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        Assert.Equal("SERVER_SHUTTING_DOWN", ended.Reason());
        Assert.Equal(received.Cursor, ended.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["resume_after"]);
        Assert.Equal(order.OrderId, received.OrderId);
    }

    [Fact]
    public async Task Resuming_from_a_pruned_cursor_is_out_of_range_naming_the_oldest_cursor()
    {
        // Its own database: pruning must not touch the shared one.
        var isolated = new ServerFixture();
        await ((IAsyncLifetime)isolated).InitializeAsync();
        try
        {
            await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer);
            var retention = isolated.Services.GetRequiredService<EventLogRetention>();
            Assert.Equal(2, await retention.PruneAsync(DateTimeOffset.UtcNow.AddDays(31), CancellationToken.None));
            using var seller = isolated.Seller(_seller);

            var error = await Assert.ThrowsAsync<RpcException>(() =>
                Next(seller.Notifications.Subscribe(new SubscribeRequest { ResumeAfter = "0" }), 1));

            Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
            Assert.Equal("CURSOR_PRUNED", error.Reason());
            var oldest = error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["oldest_resume_after"];
            using var resumed = await Subscribed(seller, new SubscribeRequest { ResumeAfter = oldest });
            Assert.Equal(oldest, (await resumed.ResponseHeadersAsync).GetValue(NotificationFeed.StartCursorHeader));

            // A new subscriber of a log that retention emptied starts live, not OUT_OF_RANGE.
            using var fresh = await Subscribed(seller, new SubscribeRequest());
            Assert.Equal(oldest, (await fresh.ResponseHeadersAsync).GetValue(NotificationFeed.StartCursorHeader));
        }
        finally
        {
            await ((IAsyncLifetime)isolated).DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_precisely()
    {
        using var buyer = server.Buyer(_buyer);
        using var marketplace = server.Marketplace();

        await Expect.InvalidArgument("resume_after", () => Next(buyer.Notifications.Subscribe(new SubscribeRequest { ResumeAfter = "abc" }), 1));
        // .NET's number parsing accepts trailing NULs: "1\0" must not pass for cursor 1.
        await Expect.InvalidArgument("resume_after", () => Next(buyer.Notifications.Subscribe(new SubscribeRequest { ResumeAfter = "1\0" }), 1));
        await Expect.InvalidArgument("types[0]", () => Next(buyer.Notifications.Subscribe(new SubscribeRequest { Types_ = { NotificationType.AutoCancelWarning } }), 1));
        await Expect.InvalidArgument("order_ids[0]", () => Next(buyer.Notifications.Subscribe(new SubscribeRequest { OrderIds = { "" } }), 1));
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => Next(marketplace.Notifications.Subscribe(new SubscribeRequest()), 1));
    }

    private static async Task AssertNothingMoreThanHeartbeats(AsyncServerStreamingCall<SubscribeResponse> call)
    {
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            while (await call.ResponseStream.MoveNext(window.Token))
            {
                Assert.Equal(SubscribeResponse.KindOneofCase.Heartbeat, call.ResponseStream.Current.KindCase);
            }
        }
        catch (RpcException exception) when (window.IsCancellationRequested
            && exception.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable)
        {
            // The window closed. Canceling the read resets the stream, and when the reset
            // overtakes the read the in-process transport reports it as UNAVAILABLE instead
            // of CANCELLED: either way nothing but heartbeats arrived.
        }
    }

    private Task<string> CursorBefore(string orderId) => server.QueryDatabaseAsync(async db =>
        ((await db.OrderEvents.Where(e => e.OrderId == orderId).MinAsync(e => e.Id)) - 1).ToString());

    private Task<string> CursorNow() => server.QueryDatabaseAsync(async db =>
        ((await db.OrderEvents.MaxAsync(e => (long?)e.Id)) ?? 0).ToString());

    /// <summary>Writes many events of one order of this test's seller straight into the log.</summary>
    private Task AppendEvents(int count) => server.QueryDatabaseAsync(async db =>
    {
        var orderId = NewId("250");
        var payload = new OrderEventPayload(Domain.OrderStatus.Pending, [new OrderEventPayload.ItemQuantities("A", 1, 0, 0)], null, null).ToJson();
        db.OrderEvents.AddRange(Enumerable.Range(0, count).Select(_ => new OrderEventRecord
        {
            EventId = Guid.NewGuid(),
            OrderId = orderId,
            SellerId = _seller,
            BuyerId = _buyer,
            Type = nameof(Domain.OrderEventType.OrderCreated),
            OccurredAt = DateTimeOffset.UtcNow,
            OrderVersion = 1,
            Payload = payload,
        }));
        return await db.SaveChangesAsync();
    });
}
