using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>Automatic cancellation: PENDING orders not authorized within 21 days are
/// canceled by the marketplace and never count (R4); units still unshipped 7 days after the
/// latest ship date are canceled automatically and count (R5, R17), after one warning to
/// the seller. Each test runs its own server on its own database with a fake clock, since
/// a pass looks at every order. In the shared collection only so that it never runs
/// alongside the rest on a small machine.</summary>
[Collection(ServerCollection.Name)]
public sealed class AutoCancellationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WarningLeadTime = TimeSpan.FromDays(1);

    /// <summary>The hosted loop is off: the test runs the passes itself.</summary>
    private static readonly Dictionary<string, string?> LoopOff = new() { ["AutoCancel:Enabled"] = "false" };

    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R4_R5_a_pass_cancels_what_is_due_with_its_attribution_warns_once_and_leaves_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var isolated = await ServerFixture.StartIsolatedAsync(clock, LoopOff);
        var now = clock.GetUtcNow();
        var expired = await OrderIn(isolated, OrderStatus.Pending, _seller, _buyer, now.AddDays(-21).AddMinutes(-1));
        var pendingNotDue = await OrderIn(isolated, OrderStatus.Pending, _seller, _buyer, now.AddDays(-19));
        var due = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var dueRequested = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var partialDue = await OrderIn(isolated, OrderStatus.PartiallyShipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var warnOnly = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-7), now.AddDays(-6).AddHours(-12));
        var fresh = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddHours(-1), now.AddDays(2));
        var shippedLongAgo = await OrderIn(isolated, OrderStatus.Shipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        using var buyer = isolated.Buyer(_buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(dueRequested.OrderId));
        using var seller = isolated.Seller(_seller);

        var pass = await AutoCancellation.RunOnceAsync(isolated);

        Assert.Equal(1, pass.Expired);
        Assert.Equal(3, pass.AutoCanceled); // due, dueRequested, and partialDue's unshipped rest
        Assert.Equal(1, pass.Warned); // warnOnly: the ones past due are canceled, not warned
        Assert.Equal(1, await Warnings(isolated));
        Assert.Equal(1, await Warnings(isolated, warnOnly.OrderId));

        // R4: the marketplace cancels for payment; not the seller's doing.
        var expiredAfter = await Read(isolated, expired.OrderId);
        Assert.Equal(OrderStatus.Canceled, expiredAfter.Status);
        AssertAttribution(expiredAfter.Cancellation, CancelReason.PaymentNotAuthorized, CancellationRequester.Marketplace, CancellationExecutor.Marketplace, counts: false);
        Assert.Equal(Timestamp.FromDateTimeOffset(now), expiredAfter.Cancellation.CancelTime);
        Assert.Null(expiredAfter.AutoCancelTime);

        // R5: the seller's failure to ship; it counts, even with an open buyer request.
        foreach (var order in new[] { due, dueRequested })
        {
            var after = await Read(isolated, order.OrderId);
            Assert.Equal(OrderStatus.Canceled, after.Status);
            AssertAttribution(after.Cancellation, CancelReason.ShipDateMissed, CancellationRequester.Marketplace, CancellationExecutor.Automatic, counts: true);
            Assert.All(after.Items, item => Assert.Equal(item.QuantityOrdered, item.QuantityCanceled));
            var act = Assert.Single(after.Cancellations); // R18
            Assert.Equal(after.Cancellation, act);
            Assert.True(act.WholeOrder);
            Assert.Equal([("A", 2), ("B", 1)], act.Units.Select(u => (u.OrderItemId, u.Quantity)).Order());
        }

        Assert.NotNull((await Read(isolated, dueRequested.OrderId)).BuyerCancellationRequest);
        Assert.Equal(OrderStatus.Canceled, (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = due.OrderId })).Order.Status); // R11

        // R5 on a PARTIALLY_SHIPPED order: the unshipped units are canceled, it is SHIPPED.
        var partialAfter = await Read(isolated, partialDue.OrderId);
        Assert.Equal(OrderStatus.Shipped, partialAfter.Status);
        var itemA = partialAfter.Items.Single(i => i.OrderItemId == "A");
        Assert.Equal((2, 1, 1, 0), (itemA.QuantityOrdered, itemA.QuantityShipped, itemA.QuantityCanceled, itemA.QuantityUnshipped));
        var itemB = partialAfter.Items.Single(i => i.OrderItemId == "B");
        Assert.Equal((1, 0, 1, 0), (itemB.QuantityOrdered, itemB.QuantityShipped, itemB.QuantityCanceled, itemB.QuantityUnshipped));
        Assert.Null(partialAfter.Cancellation); // set only on a CANCELED order
        // R18: the partial act is visible, with its attribution and the units it canceled.
        var partialAct = Assert.Single(partialAfter.Cancellations);
        AssertAttribution(partialAct, CancelReason.ShipDateMissed, CancellationRequester.Marketplace, CancellationExecutor.Automatic, counts: true);
        Assert.False(partialAct.WholeOrder);
        Assert.Equal([("A", 1), ("B", 1)], partialAct.Units.Select(u => (u.OrderItemId, u.Quantity)).Order());
        Assert.Equal(Timestamp.FromDateTimeOffset(now), partialAct.CancelTime);
        Assert.Null(partialAfter.AutoCancelTime);
        Assert.Equal(["OrderCanceled"], await EventTypes(isolated, due.OrderId, "OrderCanceled", "ItemsCanceled"));
        Assert.Equal(["ItemsCanceled"], await EventTypes(isolated, partialDue.OrderId, "OrderCanceled", "ItemsCanceled"));

        // Not yet due: untouched, and auto_cancel_time says when.
        var pendingAfter = await Read(isolated, pendingNotDue.OrderId);
        Assert.Equal(pendingNotDue.Etag, pendingAfter.Etag);
        Assert.Equal(pendingNotDue.PurchaseTime.ToDateTimeOffset().AddDays(21), pendingAfter.AutoCancelTime.ToDateTimeOffset());
        var warnedAfter = await Read(isolated, warnOnly.OrderId);
        Assert.Equal(OrderStatus.Unshipped, warnedAfter.Status);
        Assert.Equal(warnOnly.LatestShipTime.ToDateTimeOffset().AddDays(7), warnedAfter.AutoCancelTime.ToDateTimeOffset());
        Assert.Equal(fresh.Etag, (await Read(isolated, fresh.OrderId)).Etag);
        Assert.Equal(0, await Warnings(isolated, fresh.OrderId));
        Assert.Equal(shippedLongAgo.Etag, (await Read(isolated, shippedLongAgo.OrderId)).Etag);

        // The same instant again: nothing is due any more, and no order is warned twice.
        var again = await AutoCancellation.RunOnceAsync(isolated);
        Assert.Equal(new AutoCancellation.Pass(0, 0, 0), again);

        // 13 hours later the warned order is due; the one PENDING for 19 days is not yet.
        clock.Advance(TimeSpan.FromHours(13));
        var later = await AutoCancellation.RunOnceAsync(isolated);

        Assert.Equal(new AutoCancellation.Pass(0, 1, 0), later);
        var canceledLater = await Read(isolated, warnOnly.OrderId);
        Assert.Equal(OrderStatus.Canceled, canceledLater.Status);
        AssertAttribution(canceledLater.Cancellation, CancelReason.ShipDateMissed, CancellationRequester.Marketplace, CancellationExecutor.Automatic, counts: true);
        Assert.Equal(Timestamp.FromDateTimeOffset(clock.GetUtcNow()), canceledLater.Cancellation.CancelTime);
        Assert.Equal(1, await Warnings(isolated, warnOnly.OrderId));
        Assert.Equal(OrderStatus.Pending, (await Read(isolated, pendingNotDue.OrderId)).Status);
    }

    /// <summary>Scale-out (issue 13): while another runner holds the pass's lock, a pass does
    /// nothing and says so; once released, the next pass does the work. On PostgreSQL the
    /// other runner is another instance (a second <see cref="PassLocks"/> on the same
    /// database, holding the advisory lock on its own session); on SQLite, one process per
    /// file, only a runner in the same process excludes.</summary>
    [Fact]
    public async Task R5_a_pass_is_skipped_while_another_runner_holds_its_lock_and_done_once_it_is_released()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var isolated = await ServerFixture.StartIsolatedAsync(clock, LoopOff);
        var now = clock.GetUtcNow();
        var due = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var configuration = isolated.Services.GetRequiredService<IConfiguration>();
        var otherRunner = isolated.Provider == DatabaseProvider.Postgres
            ? new PassLocks(configuration) // another instance: its own process-local locks
            : isolated.Services.GetRequiredService<PassLocks>();

        var (held, _) = await otherRunner.TryAcquireAsync(PassLocks.AutoCancel, CancellationToken.None);
        await using (held)
        {
            Assert.NotNull(held);
            var skipped = await AutoCancellation.RunOnceAsync(isolated);

            Assert.Equal(new AutoCancellation.Pass(0, 0, 0, HeldByAnotherRunner: true), skipped);
            Assert.Equal(due.Etag, (await Read(isolated, due.OrderId)).Etag);
            if (isolated.Provider == DatabaseProvider.Postgres)
            {
                // Nor can a third instance take it meanwhile; it is told where the pass runs.
                var (third, refusal) = await new PassLocks(configuration).TryAcquireAsync(PassLocks.AutoCancel, CancellationToken.None);
                Assert.Null(third);
                Assert.Equal(PassLocks.Refusal.RunningElsewhere, refusal);
                Assert.True(await held.StillHeldAsync(CancellationToken.None));
            }
        }

        var pass = await AutoCancellation.RunOnceAsync(isolated);

        Assert.Equal(new AutoCancellation.Pass(0, 1, 0), pass);
        Assert.Equal(OrderStatus.Canceled, (await Read(isolated, due.OrderId)).Status);
        // The pass released the lock when it ended: another runner may take it now.
        var (after, _) = await otherRunner.TryAcquireAsync(PassLocks.AutoCancel, CancellationToken.None);
        await using (after)
        {
            Assert.NotNull(after);
        }
    }

    /// <summary>Scale-out (issue 13): a holder whose lock session broke (PostgreSQL restarted,
    /// the connection cut) learns it at its next check, which a pass makes before each batch,
    /// and another instance can take the lock at once. Here the session is ended the way an
    /// operator or a failover would, with pg_terminate_backend. On SQLite the lock is the
    /// process's own and cannot be lost that way: it stays held until released.</summary>
    [Fact]
    public async Task A_pass_lock_whose_session_broke_says_so_and_another_instance_can_take_it()
    {
        await using var isolated = await ServerFixture.StartIsolatedAsync(settings: LoopOff);
        var configuration = isolated.Services.GetRequiredService<IConfiguration>();
        var (held, _) = await new PassLocks(configuration).TryAcquireAsync(PassLocks.AutoCancel, CancellationToken.None);
        await using (held)
        {
            Assert.NotNull(held);
            Assert.True(await held.StillHeldAsync(CancellationToken.None));
            if (isolated.Provider != DatabaseProvider.Postgres)
            {
                Assert.True(await held.StillHeldAsync(CancellationToken.None));
                return;
            }

            var key = PassLocks.PostgresKey(PassLocks.AutoCancel);
            var terminated = await isolated.QueryDatabaseAsync(db => db.Database.SqlQuery<bool>($"""
                SELECT pg_terminate_backend(pid, 5000) AS "Value" FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND classid::bigint = {key >> 32} AND objid::bigint = {key & 0xFFFF_FFFF}
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).ToListAsync());
            Assert.Equal([true], terminated);

            Assert.False(await held.StillHeldAsync(CancellationToken.None));
            var (taken, _) = await new PassLocks(configuration).TryAcquireAsync(PassLocks.AutoCancel, CancellationToken.None);
            await using (taken)
            {
                Assert.NotNull(taken);
            }
        }
    }

    [Fact]
    public async Task R5_R11_the_hosted_service_warns_the_seller_then_cancels_and_both_parties_are_notified()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var isolated = await ServerFixture.StartIsolatedAsync(clock, new Dictionary<string, string?>
        {
            ["AutoCancel:Interval"] = "00:05:00",
            ["AutoCancel:WarningLeadTime"] = "1.00:00:00",
        });
        var now = clock.GetUtcNow();
        using var seller = isolated.Seller(_seller);
        using var buyer = isolated.Buyer(_buyer);
        using var sellerStream = await Subscribed(seller, new SubscribeRequest
        {
            Types_ = { NotificationType.AutoCancelWarning, NotificationType.OrderCanceled },
        });
        using var buyerStream = await Subscribed(buyer, new SubscribeRequest { Types_ = { NotificationType.OrderCanceled } });
        // Due 12 hours from now, so the 1-day warning is due already.
        var order = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-7), now.AddDays(-6).AddHours(-12));
        var dueAt = order.AutoCancelTime.ToDateTimeOffset();
        Assert.Equal(now.AddHours(12), dueAt);
        var fresh = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddHours(-1), now.AddDays(2));

        // The loop's next tick warns: one warning, the order still open.
        await AdvanceUntil(clock, Interval, async () => await Warnings(isolated, order.OrderId) > 0, "the auto-cancel warning");
        Assert.True(clock.GetUtcNow() < dueAt - TimeSpan.FromHours(1), "the warning came too late to be of use");
        Assert.Equal(OrderStatus.Unshipped, (await Read(isolated, order.OrderId)).Status);

        // Past the due time, the loop cancels it.
        clock.Advance(dueAt - clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await AdvanceUntil(clock, Interval, async () => (await Read(isolated, order.OrderId)).Status == OrderStatus.Canceled, "the auto-cancel");

        var toSeller = await Next(sellerStream, 2);
        Assert.Equal([NotificationType.AutoCancelWarning, NotificationType.OrderCanceled], toSeller.Select(n => n.Type));
        Assert.All(toSeller, n => Assert.Equal(order.OrderId, n.OrderId));
        Assert.Equal(OrderStatus.Unshipped, toSeller[0].Order.Status);
        AssertAttribution(toSeller[1].Cancellation, CancelReason.ShipDateMissed, CancellationRequester.Marketplace, CancellationExecutor.Automatic, counts: true);
        var toBuyer = (await Next(buyerStream, 1))[0];
        Assert.Equal(NotificationType.OrderCanceled, toBuyer.Type);
        Assert.Equal(NotificationAudience.Buyer, toBuyer.Audience);
        Assert.Equal(order.OrderId, toBuyer.OrderId);
        Assert.Equal(OrderStatus.Canceled, toBuyer.Order.Status);
        AssertAttribution(toBuyer.Cancellation, CancelReason.ShipDateMissed, CancellationRequester.Marketplace, CancellationExecutor.Automatic, counts: true);

        // Never warned twice; the order not yet due neither warned nor canceled.
        Assert.Equal(1, await Warnings(isolated, order.OrderId));
        var freshAfter = await Read(isolated, fresh.OrderId);
        Assert.Equal(fresh.Etag, freshAfter.Etag);
        Assert.Equal(0, await Warnings(isolated, fresh.OrderId));
    }

    /// <summary>R5 cancels 7 days or more after the purchase (the latest ship date is not
    /// before it), so an auto-cancel counts in the 7 days after it is made, not by the
    /// purchase; R4 never counts.</summary>
    [Fact]
    public async Task R4_R5_R17_after_automatic_cancellations_the_rate_counts_the_missed_ship_date_and_not_the_payment_expiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var isolated = await ServerFixture.StartIsolatedAsync(clock, LoopOff);
        var now = clock.GetUtcNow();
        var expired = await OrderIn(isolated, OrderStatus.Pending, _seller, _buyer, now.AddDays(-22));
        var due = await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var partialDue = await OrderIn(isolated, OrderStatus.PartiallyShipped, _seller, _buyer, now.AddDays(-10), now.AddDays(-8));
        var open = new[]
        {
            await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer, now.AddHours(-1)),
            await OrderIn(isolated, OrderStatus.Shipped, _seller, _buyer, now.AddHours(-2)),
        };
        var pass = await AutoCancellation.RunOnceAsync(isolated);
        Assert.Equal((1, 2), (pass.Expired, pass.AutoCanceled));
        // Right after the pass: a window ends before its end instant (R17's [start, end)),
        // so a query at the very tick of the pass would not see it yet.
        clock.Advance(TimeSpan.FromSeconds(1));
        var asked = clock.GetUtcNow();
        using var seller = isolated.Seller(_seller);

        var month = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest { Window = Duration.FromTimeSpan(TimeSpan.FromDays(30)) });

        // Authorized and purchased or counted in the window: due, partialDue and the two open
        // ones; the expired order never was authorized (R4). Counted: the two missed ship
        // dates, the partial one included (R5, R17).
        Assert.Equal(4, month.TotalOrders);
        Assert.Equal(2, month.CountedCancellations);
        Assert.Equal(5000, month.RateBasisPoints);
        Assert.False(month.TargetMet);
        Assert.Equal(new[] { due.OrderId, partialDue.OrderId }.Order(StringComparer.Ordinal), month.CountedOrderIds.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(expired.OrderId, month.CountedOrderIds);
        Assert.Equal(Timestamp.FromDateTimeOffset(asked), month.WindowEnd); // the server's clock
        Assert.Equal(Timestamp.FromDateTimeOffset(asked.AddDays(-30)), month.WindowStart);

        // The default 7 days, right after the pass: the auto-canceled orders were purchased
        // 10 days ago, but canceled a second ago, so they count and are in the total.
        var week = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Equal(open.Length + 2, week.TotalOrders);
        Assert.Equal(2, week.CountedCancellations);
        Assert.Equal(5000, week.RateBasisPoints);
        Assert.False(week.TargetMet);
        Assert.Equal(new[] { due.OrderId, partialDue.OrderId }.Order(StringComparer.Ordinal), week.CountedOrderIds.Order(StringComparer.Ordinal));

        // 7 days later they have left the window, and so has every purchase: the two open
        // orders purchased an hour or two before the pass are out too.
        clock.Advance(TimeSpan.FromDays(7));
        using var sellerLater = isolated.Seller(_seller); // a token of the new "now"
        var nextWeek = await sellerLater.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Equal((0, 0), (nextWeek.TotalOrders, nextWeek.CountedCancellations));
    }

    [Fact]
    public async Task StartIsolatedAsync_gives_a_server_its_own_database_and_the_clock_the_test_controls()
    {
        // A clock ten days behind: what the server does "now" shows which clock it reads.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-10));
        string connectionString;
        Persistence.DatabaseProvider provider;
        await using (var isolated = await ServerFixture.StartIsolatedAsync(clock))
        {
            connectionString = isolated.ConnectionString;
            provider = isolated.Provider;
            Assert.Same(clock, isolated.Services.GetService(typeof(TimeProvider)));
            Assert.Equal(0, await isolated.QueryDatabaseAsync(db => db.Orders.CountAsync()));
            using var marketplace = isolated.Marketplace();

            var created = (await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer, purchasedAt: clock.GetUtcNow().AddHours(-1)))).Order;
            Assert.Equal(Timestamp.FromDateTimeOffset(clock.GetUtcNow()), created.CreateTime);

            // A purchase at the real "now" is in the future of the server's clock.
            await Expect.InvalidArgument("purchase_time", () => marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer)).ResponseAsync);

            clock.Advance(TimeSpan.FromDays(3));
            using var seller = isolated.Seller(_seller); // tokens stay valid whichever clock checks them
            Assert.Equal(created.OrderId, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = created.OrderId })).Order.OrderId);
        }

        // Disposed: its database is gone.
        if (provider == Persistence.DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            Assert.False(File.Exists(file), $"the isolated database {file} was not removed");
        }
        else
        {
            var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
            var maintenance = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
            await using var connection = new Npgsql.NpgsqlConnection(maintenance);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
            command.Parameters.AddWithValue("name", name ?? "");
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }
    }

    private static void AssertAttribution(Cancellation? cancellation, CancelReason reason, CancellationRequester requester, CancellationExecutor executor, bool counts)
    {
        Assert.NotNull(cancellation);
        Assert.Equal(reason, cancellation.Reason);
        Assert.Equal(requester, cancellation.Requester);
        Assert.Equal(executor, cancellation.Executor);
        Assert.Equal(counts, cancellation.CountsAgainstSellerRate);
    }

    /// <summary>Moves the fake clock on by <paramref name="step"/> until
    /// <paramref name="done"/> holds, giving the server's loop real time to run between
    /// steps; fails after 10 seconds.</summary>
    private static async Task AdvanceUntil(FakeTimeProvider clock, TimeSpan step, Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 10 s (server clock at {clock.GetUtcNow():O})");
            clock.Advance(step);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<Order> Read(ServerFixture isolated, string orderId)
    {
        using var seller = isolated.Seller(_seller);
        return (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;
    }

    private static Task<int> Warnings(ServerFixture isolated, string? orderId = null) =>
        isolated.QueryDatabaseAsync(db => db.OrderEvents.CountAsync(e =>
            e.Type == "AutoCancelWarning" && (orderId == null || e.OrderId == orderId)));

    private static Task<List<string>> EventTypes(ServerFixture isolated, string orderId, params string[] types) =>
        isolated.QueryDatabaseAsync(db => db.OrderEvents
            .Where(e => e.OrderId == orderId && types.Contains(e.Type)).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());
}
