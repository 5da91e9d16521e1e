using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using OrderService.Server.Notifications;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The instance's one tail of the event log, which live streams read in memory: a
/// stream further behind than the tail holds replays from the database and joins the tail
/// with no gap and no duplicate at the seam.</summary>
public sealed class NotificationTailTests
{
    [Fact]
    public async Task A_stream_behind_the_tail_replays_from_the_database_then_follows_the_tail_live()
    {
        // The tail holds about four events and a stream reads three at a time, so a resume
        // from before twelve events crosses from database batches to the tail.
        await using var server = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:TailCapacity"] = "4",
            ["Notifications:BatchSize"] = "3",
        });
        var sellerId = NewId("S");
        using var seller = server.Seller(sellerId);
        using var marketplace = server.Marketplace();
        string before;
        using (var first = await Subscribed(seller, new SubscribeRequest()))
        {
            before = (await first.ResponseHeadersAsync).GetValue(NotificationFeed.StartCursorHeader)!;
        }

        var created = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            created.Add((await marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, NewId("B")))).Order.OrderId);
        }

        using var resumed = await Subscribed(seller, new SubscribeRequest { ResumeAfter = before });
        var replayed = await Next(resumed, 12);
        var live = (await marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, NewId("B")))).Order.OrderId;
        var followed = await Next(resumed, 1);

        Assert.Equal([.. created, live], replayed.Concat(followed).Select(n => n.OrderId));
        var cursors = replayed.Concat(followed).Select(n => long.Parse(n.Cursor)).ToList();
        Assert.Equal(cursors.Order(), cursors);
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
    }

    [Fact]
    public async Task An_event_committed_after_a_higher_one_is_delivered_first_never_skipped()
    {
        // A writer that drew a lower event id than another commits after it. Readers must
        // not pass the lower id while its writer is in flight: on PostgreSQL the tail's
        // horizon waits for in-flight writers, on SQLite the writers take turns.
        await using var server = await ServerFixture.StartIsolatedAsync();
        var sellerId = NewId("S");
        using var seller = server.Seller(sellerId);
        using var marketplace = server.Marketplace();
        using var stream = await Subscribed(seller, new SubscribeRequest());

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderDbContext>();
        var slowWriter = await db.Database.BeginTransactionAsync();
        if (server.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({OrderDbContext.EventAppendLockKey})");
        }

        var lowOrderId = NewId("250-slow");
        db.OrderEvents.Add(new OrderEventRecord
        {
            EventId = Guid.NewGuid(),
            OrderId = lowOrderId,
            SellerId = sellerId,
            BuyerId = "B-slow",
            Type = "OrderCreated",
            OccurredAt = DateTimeOffset.UtcNow,
            OrderVersion = 1,
            Payload = """{"status":"Pending","items":[],"buyerCancellationReason":null,"cancellation":null}""",
        });
        await db.SaveChangesAsync(); // draws the lower id, not yet committed

        // The other writer commits a higher id meanwhile (on SQLite it waits its turn).
        var fastWriter = marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, NewId("B"))).ResponseAsync;
        var first = Next(stream, 1);
        await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(1.5)));
        Assert.False(first.IsCompleted, "a notice was delivered past an event still being written");

        await slowWriter.CommitAsync();
        await slowWriter.DisposeAsync();
        Assert.Equal(lowOrderId, Assert.Single(await first).OrderId);
        var created = await fastWriter;
        Assert.Equal(created.Order.OrderId, Assert.Single(await Next(stream, 1)).OrderId);
    }
}
