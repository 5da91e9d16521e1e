using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
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
}
