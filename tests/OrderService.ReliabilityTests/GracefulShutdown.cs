using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.Persistence;

using Domain = OrderService.Domain;

namespace OrderService.ReliabilityTests;

public abstract partial class CrashTests
{
    private const int ShutdownFeedLines = 10_000;
    private const int ShutdownDueOrders = 4_000;

    /// <summary>Graceful shutdown (issue 13), a call in flight: SIGTERM reaches the server while
    /// a 10,000-line SubmitCancellationFeed is part-way (sent as soon as the database shows its
    /// first chunk committed). The call still gets its whole answer, every line applied once,
    /// and the process then exits by itself, within the host's shutdown timeout.</summary>
    [Fact]
    public async Task Sigterm_during_a_feed_lets_the_call_finish_with_every_line_applied_once()
    {
        var figures = new Figures($"{Provider}: SIGTERM during a SubmitCancellationFeed of {ShutdownFeedLines:N0} lines", Output);
        // A shutdown timeout far above the feed's 10 s, so that a slow machine does not cut the
        // call off: the test is about calls finishing, not about the 30 s default.
        await using var server = await CrashServer.CreateAsync(Provider, new CrashServer.ServerSettings([], ShutdownTimeoutSeconds: 120));
        try
        {
            var run = RunId();
            var seller = $"SELLER-TERM-{run}";
            var orderIds = Enumerable.Range(0, ShutdownFeedLines).Select(n => $"TF-{run}-{n:D5}").ToList();
            await Seed.WriteAsync(server, seller, [.. orderIds.Select(id => (id, Seed.State.Unshipped))]);
            await server.StartAsync();

            using var caller = server.Raw("seller", seller);
            var request = new SubmitCancellationFeedRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Lines = { orderIds.Select(id => new CancellationFeedLine { OrderId = id, Reason = CancelReason.NoInventory }) },
            };
            var started = figures.Elapsed;
            var feed = Outcome.Of(() => caller.Orders.SubmitCancellationFeedAsync(request, deadline: DateTime.UtcNow.AddMinutes(3)).ResponseAsync);

            // SIGTERM once the feed is part-way, as the database shows it.
            var atTerm = await WhenPartWay(server, feed,
                db => db.Orders.CountAsync(o => o.SellerId == seller && o.Status == Domain.OrderStatus.Canceled), ShutdownFeedLines);
            figures.Add("lines committed when SIGTERM was sent", atTerm);
            figures.Add("SIGTERM sent after the feed ran for", figures.Elapsed - started);

            var stopping = server.StopAsync(); // SIGTERM
            var answer = await feed.WaitAsync(LongWait);
            var stoppedIn = await stopping;
            figures.Add("process gone after SIGTERM in", stoppedIn);

            Assert.True(answer.Ok, $"the feed in flight at SIGTERM did not finish: {answer}");
            var response = (SubmitCancellationFeedResponse)answer.Response!;
            Assert.Equal(new FeedSummary { Lines = ShutdownFeedLines, Accepted = ShutdownFeedLines }, response.Summary);
            Assert.All(response.Results, r => Assert.Equal(0, r.Status.Code));
            figures.Add("feed answered", $"OK, {response.Summary.Accepted:N0} lines accepted");

            await using var db = server.OpenDatabase();
            var acts = await db.Orders.Where(o => o.SellerId == seller).Select(o => o.Cancellations.Count).ToListAsync();
            var events = await db.OrderEvents.CountAsync(e => e.SellerId == seller && e.Type == nameof(Domain.OrderEventType.OrderCanceled));
            Assert.All(acts, count => Assert.Equal(1, count));
            Assert.Equal(ShutdownFeedLines, events);
            figures.Add("orders canceled once / cancellation events", $"{acts.Count(c => c == 1):N0} / {events:N0}");
        }
        catch (Exception) when (Dump(server))
        {
            throw;
        }
        finally
        {
            figures.Print();
        }
    }

    /// <summary>Graceful shutdown (issue 13), a background pass: SIGTERM reaches the server
    /// while its automatic cancellation pass (R5) works through 4,000 due orders. The pass
    /// stops at once between two orders (or rolls back the one in flight): the process is gone
    /// within seconds, with orders still due, and each order is either canceled whole, with
    /// its one event, or untouched. Started again, the pass cancels the rest, each order once.</summary>
    [Fact]
    public async Task Sigterm_during_the_auto_cancel_pass_stops_it_between_orders_and_the_restart_finishes_it()
    {
        var figures = new Figures($"{Provider}: SIGTERM during the auto-cancel pass (R5) over {ShutdownDueOrders:N0} due orders", Output);
        await using var server = await CrashServer.CreateAsync(Provider, new CrashServer.ServerSettings(["--AutoCancel:Interval=00:00:01"]));
        try
        {
            var run = RunId();
            var seller = $"SELLER-PASS-{run}";
            var orderIds = Enumerable.Range(0, ShutdownDueOrders).Select(n => $"TP-{run}-{n:D5}").ToList();
            await Seed.WriteAsync(server, seller, [.. orderIds.Select(id => (id, Seed.State.Unshipped, TimeSpan.FromDays(10)))]);
            int seededVersion;
            await using (var db = server.OpenDatabase())
            {
                seededVersion = await db.Orders.Where(o => o.SellerId == seller).Select(o => o.Version).Distinct().SingleAsync();
            }

            await server.StartAsync();

            Func<OrderDbContext, Task<int>> canceled = db => db.Orders.CountAsync(o => o.SellerId == seller && o.Status == Domain.OrderStatus.Canceled);
            var atTerm = await WhenPartWay(server, null, canceled, ShutdownDueOrders);
            figures.Add("orders canceled when SIGTERM was sent", atTerm);
            var stoppedIn = await server.StopAsync();
            figures.Add("process gone after SIGTERM in", stoppedIn);

            // Stopped, not run to the end: orders still due, and it took no 30 s of waiting.
            int afterStop;
            await using (var db = server.OpenDatabase())
            {
                afterStop = await canceled(db);
                await AssertEachOrderWholeOrUntouched(db, seller, seededVersion);
            }

            figures.Add("orders canceled when the process was gone", afterStop);
            Assert.InRange(afterStop, atTerm, ShutdownDueOrders - 1);
            Assert.True(stoppedIn < TimeSpan.FromSeconds(15), $"the process took {stoppedIn.TotalSeconds:N1} s to stop: the pass did not stop");
            Assert.DoesNotContain(File.ReadLines(server.ServerLog), l => l.Contains("Auto-cancel pass failed", StringComparison.Ordinal));

            // Started again, the pass finishes the work, each order once.
            await server.StartAsync();
            await WaitUntil(server, async db => await canceled(db) == ShutdownDueOrders, "the restarted pass to cancel every due order");
            await using (var db = server.OpenDatabase())
            {
                await AssertEachOrderWholeOrUntouched(db, seller, seededVersion);
            }

            figures.Add("after the restart: orders canceled, each once", ShutdownDueOrders);
        }
        catch (Exception) when (Dump(server))
        {
            throw;
        }
        finally
        {
            figures.Print();
        }
    }

    /// <summary>Every order of the seller canceled whole with one act and one event, or as seeded
    /// (no act, no cancellation event, the version it was seeded with).</summary>
    private static async Task AssertEachOrderWholeOrUntouched(OrderDbContext db, string seller, int seededVersion)
    {
        var orders = await db.Orders.Where(o => o.SellerId == seller)
            .Select(o => new { o.Id, o.Status, o.Version, Acts = o.Cancellations.Count }).ToListAsync();
        var events = await db.OrderEvents.Where(e => e.SellerId == seller && e.Type == nameof(Domain.OrderEventType.OrderCanceled))
            .GroupBy(e => e.OrderId).Select(g => new { OrderId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.OrderId, g => g.Count);
        foreach (var order in orders)
        {
            if (order.Status == Domain.OrderStatus.Canceled)
            {
                Assert.True(order.Acts == 1 && events.GetValueOrDefault(order.Id) == 1,
                    $"{order.Id}: canceled with {order.Acts} acts and {events.GetValueOrDefault(order.Id)} events");
            }
            else
            {
                Assert.True(order.Status == Domain.OrderStatus.Unshipped && order.Acts == 0 && !events.ContainsKey(order.Id) && order.Version == seededVersion,
                    $"{order.Id}: half changed ({order.Status}, version {order.Version}, {order.Acts} acts)");
            }
        }
    }

    /// <summary>Returns once <paramref name="done"/> counts more than none (polled every 50 ms),
    /// with that count: the work has begun and, at the pace of thousands of orders, is far from
    /// its end when SIGTERM follows. Fails if the work (or the <paramref name="call"/>) was
    /// finished already.</summary>
    private static async Task<int> WhenPartWay(CrashServer server, Task<Outcome>? call, Func<OrderDbContext, Task<int>> done, int total)
    {
        var deadline = DateTime.UtcNow + LongWait;
        while (true)
        {
            int count;
            await using (var db = server.OpenDatabase())
            {
                count = await done(db);
            }

            if (count > 0)
            {
                Assert.True(count < total && call is not { IsCompleted: true }, "the work finished before SIGTERM: it came too late");
                return count;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the work to begin");
            Assert.False(call is { IsCompleted: true }, $"the call ended before any of its work committed: {(call?.IsCompleted == true ? call.Result : null)}");
            await Task.Delay(50);
        }
    }

    protected static async Task WaitUntil(CrashServer server, Func<OrderDbContext, Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + LongWait;
        while (true)
        {
            await using (var db = server.OpenDatabase())
            {
                if (await condition(db))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out after {LongWait.TotalSeconds:N0} s waiting for {what}");
            await Task.Delay(200);
        }
    }
}
