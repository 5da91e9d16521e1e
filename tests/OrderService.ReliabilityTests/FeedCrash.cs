using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;

using Domain = OrderService.Domain;

namespace OrderService.ReliabilityTests;

public abstract partial class CrashTests
{
    private const int FeedLines = 20_000;
    private const int FeedChunk = OrderService.Application.Feeds.FeedRunner.DefaultChunkSize; // a chunk commits whole or not at all

    /// <summary>Scenario (a), R10: a 20,000-line SubmitCancellationFeed, SIGKILLed once a
    /// quarter of its cancellations have been notified, retried with the same request_id after
    /// the restart. The retry completes the feed; each line has its own result, the one it
    /// would have had without the crash; the lines acknowledged before the kill (notified:
    /// their chunk committed) keep their cancellation as it was; no line is applied twice; and
    /// the subscriber, resumed from its cursor file, gets each cancellation once.</summary>
    [Fact]
    public async Task Feed_killed_mid_way_completes_on_retry_with_every_line_applied_once()
    {
        var figures = new Figures($"{Provider}: SubmitCancellationFeed of {FeedLines:N0} lines, SIGKILL mid-feed", Output);
        await using var server = await CrashServer.CreateAsync(Provider);
        try
        {
            await RunFeed(server, figures);
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

    private async Task RunFeed(CrashServer server, Figures figures)
    {
        var run = RunId();
        var seller = $"SELLER-FEED-{run}";

        // The feed: mostly UNSHIPPED orders (OK), and lines each refused on its own (R10): an
        // unknown order, a PENDING one, an order an earlier line canceled (5,000 orders back,
        // so that many of them fall on the other side of the kill).
        var lines = new List<CancellationFeedLine>(FeedLines);
        var seeded = new List<(string, Seed.State)>();
        var fresh = new List<string>();
        for (var i = 0; i < FeedLines; i++)
        {
            string orderId;
            if (i % 50 == 17)
            {
                orderId = $"FX-{run}-{i:D5}";
            }
            else if (i % 100 == 41)
            {
                orderId = $"FP-{run}-{i:D5}";
                seeded.Add((orderId, Seed.State.Pending));
            }
            else if (i % 40 == 29 && fresh.Count >= 5_000)
            {
                orderId = fresh[^5_000];
            }
            else
            {
                orderId = $"FV-{run}-{i:D5}";
                fresh.Add(orderId);
                seeded.Add((orderId, Seed.State.Unshipped));
            }

            lines.Add(new CancellationFeedLine { OrderId = orderId, Reason = CancelReason.NoInventory, Note = $"line {i + 1}" });
        }

        // What each line must answer, crash or no crash: the lines applied in order.
        var expected = new (StatusCode Code, string? Reason)[FeedLines];
        var canceled = new HashSet<string>();
        for (var i = 0; i < FeedLines; i++)
        {
            var orderId = lines[i].OrderId;
            expected[i] = orderId.StartsWith("FX-", StringComparison.Ordinal) ? (StatusCode.NotFound, "ORDER_NOT_FOUND")
                : orderId.StartsWith("FP-", StringComparison.Ordinal) ? (StatusCode.FailedPrecondition, "ORDER_PENDING")
                : canceled.Add(orderId) ? (StatusCode.OK, null)
                : (StatusCode.FailedPrecondition, "ORDER_CANCELED");
        }

        var accepted = expected.Count(e => e.Code == StatusCode.OK);
        // The line that cancels each order, and the order each accepted line cancels.
        var lineOf = Enumerable.Range(0, FeedLines).Where(i => expected[i].Code == StatusCode.OK).ToDictionary(i => lines[i].OrderId);
        figures.Add("feed lines", FeedLines);
        figures.Add("lines expected OK / refused (unknown, PENDING, already canceled)", $"{accepted:N0} / {FeedLines - accepted:N0}");

        await Seed.WriteAsync(server, seller, seeded);
        figures.Add("orders seeded", seeded.Count);
        figures.Mark("seeded at");
        await server.StartAsync();

        // The seller's subscriber, checkpointing its cursor every 100 notices.
        var cursorFile = Path.Combine(Path.GetDirectoryName(server.ServerLog)!, "seller.cursor");
        var notices = new SubscribeRequest { Types_ = { NotificationType.OrderCanceled } };
        var store = new CheckpointingCursorStore(cursorFile, every: 100);
        var before = new NoticeSubscriber(server, seller, notices, store);
        IReadOnlyList<Notification> beforeKill;
        Dictionary<string, GetOrderResponse> snapshot;
        var request = new SubmitCancellationFeedRequest { RequestId = Guid.NewGuid().ToString(), Lines = { lines } };
        DateTimeOffset killed;
        Outcome firstAnswer;
        try
        {
            await before.Until(() => store.HasCursor, LongWait, "the subscription to be in place");

            using var caller = server.Raw("seller", seller);
            var started = figures.Elapsed;
            var feed = Outcome.Of(() => caller.Orders.SubmitCancellationFeedAsync(request, deadline: DateTime.UtcNow.AddMinutes(3)).ResponseAsync);

            // Kill once a quarter of the feed's cancellations have been notified: their chunks
            // committed, and most of the feed is still to come.
            var killAfter = accepted / 4;
            await before.Until(() => before.Count >= killAfter || feed.IsCompleted, LongWait, $"{killAfter:N0} notices");
            if (feed.IsCompleted)
            {
                Assert.Fail($"the feed was answered before the kill ({await feed}): the kill came too late");
            }

            // What the acknowledged lines look like now, to compare after the restart.
            var sample = before.Received.TakeLast(50).Select(n => n.OrderId).ToList();
            snapshot = (await Task.WhenAll(sample.Select(id => caller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = id }).ResponseAsync)))
                .ToDictionary(o => o.Order.OrderId);
            figures.Add("notices seen when the kill was sent", before.Count);
            figures.Add("kill sent after the feed ran for", figures.Elapsed - started);
            await server.KillAsync();
            killed = DateTimeOffset.UtcNow;
            firstAnswer = await feed.WaitAsync(LongWait);
        }
        finally
        {
            await before.DisposeAsync();
        }

        beforeKill = before.Received;
        Assert.True(firstAnswer.Lost, $"the feed's first call should have lost its answer in the crash, got {firstAnswer}");
        figures.Add("feed call answered before the kill", $"no (lost: {firstAnswer.Code})");
        figures.Add("lines acknowledged before the kill (notified)", beforeKill.Count);

        // What the crash left: whole chunks, in line order, nothing of the chunk in flight.
        List<string> committed;
        await using (var db = server.OpenDatabase())
        {
            committed = await db.Orders.Where(o => o.SellerId == seller && o.Status == Domain.OrderStatus.Canceled).Select(o => o.Id).ToListAsync();
        }

        var committedSet = committed.ToHashSet();
        var chunksCommitted = 0;
        var okInChunks = 0;
        while (okInChunks < committedSet.Count && chunksCommitted * FeedChunk < FeedLines)
        {
            okInChunks += Enumerable.Range(chunksCommitted * FeedChunk, FeedChunk).Count(i => expected[i].Code == StatusCode.OK);
            chunksCommitted++;
        }

        var linesCommitted = chunksCommitted * FeedChunk;
        Assert.Equal(okInChunks, committedSet.Count);
        Assert.All(Enumerable.Range(0, linesCommitted).Where(i => expected[i].Code == StatusCode.OK),
            i => Assert.Contains(lines[i].OrderId, committedSet));
        Assert.All(beforeKill, n => Assert.Contains(n.OrderId, committedSet));
        Assert.InRange(linesCommitted, FeedChunk, FeedLines - FeedChunk);
        figures.Add($"lines committed at the kill (whole chunks of {FeedChunk}, read from the database)", $"{linesCommitted:N0} ({chunksCommitted} chunks)");

        // Restart on the same database; the subscriber resumes from its cursor file.
        var restarted = DateTimeOffset.UtcNow;
        await server.StartAsync();
        figures.Mark("restarted at");
        await using var after = new NoticeSubscriber(server, seller, notices, new CheckpointingCursorStore(cursorFile, every: 100));
        using var retryCaller = server.Raw("seller", seller);
        var retryStarted = figures.Elapsed;
        var retry = await Outcome.Of(() => retryCaller.Orders.SubmitCancellationFeedAsync(request, deadline: DateTime.UtcNow.AddMinutes(3)).ResponseAsync);
        Assert.True(retry.Ok, $"the retry of the feed failed: {retry}");
        figures.Add("retry (same request_id) took", figures.Elapsed - retryStarted);
        var answer = (SubmitCancellationFeedResponse)retry.Response!;

        // Each line its own result, the one it would have had without the crash.
        Assert.Equal(FeedLines, answer.Results.Count);
        Assert.Equal(new FeedSummary { Lines = FeedLines, Accepted = accepted, Failed = FeedLines - accepted }, answer.Summary);
        for (var i = 0; i < FeedLines; i++)
        {
            var result = answer.Results[i];
            Assert.Equal(i + 1, result.LineNumber);
            Assert.Equal(lines[i].OrderId, result.OrderId);
            var got = ((StatusCode)result.Status.Code, Statuses.ReasonOf(result.Status));
            Assert.True(got == expected[i], $"line {i + 1} ({lines[i].OrderId}): expected {expected[i]}, got {got} {result.Status.Message}");
        }

        // Applied once: a committed line keeps the cancellation it committed with (before the
        // kill), every other accepted line was applied by the retry (after the restart).
        var replayed = 0;
        var appliedByRetry = 0;
        for (var i = 0; i < FeedLines; i++)
        {
            if (expected[i].Code != StatusCode.OK)
            {
                continue;
            }

            var time = answer.Results[i].Cancellation.CancelTime.ToDateTimeOffset();
            if (i < linesCommitted)
            {
                Assert.True(time < killed, $"line {i + 1} committed before the kill but its cancellation is of {time:O}");
                replayed++;
            }
            else
            {
                Assert.True(time >= restarted, $"line {i + 1} was not committed at the kill but its cancellation is of {time:O}, before the restart");
                appliedByRetry++;
            }
        }

        figures.Add("accepted lines replayed / applied by the retry", $"{replayed:N0} / {appliedByRetry:N0}");

        // The acknowledged lines are unchanged: the notice, the order, the line's result agree.
        foreach (var notice in beforeKill)
        {
            var result = answer.Results[lineOf[notice.OrderId]];
            Assert.Equal(notice.EventTime, result.Cancellation.CancelTime);
        }

        foreach (var (orderId, order) in snapshot)
        {
            Assert.Equal(order, await retryCaller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId }));
        }

        // R17 impacts run on across the crash: each accepted line starts where the one before
        // ended (a line applied twice, or one lost, would break the chain).
        var impacts = answer.Results.Where(r => r.Status.Code == 0).Select(r => r.RateImpact).ToList();
        for (var k = 1; k < impacts.Count; k++)
        {
            Assert.True(impacts[k].RateBeforeBasisPoints == impacts[k - 1].RateAfterBasisPoints,
                $"accepted line {k + 1}: rate before {impacts[k].RateBeforeBasisPoints} bp, the line before ended at {impacts[k - 1].RateAfterBasisPoints} bp");
        }

        // Asked again: the very same answer, stored whole.
        var again = await retryCaller.Orders.SubmitCancellationFeedAsync(request, deadline: DateTime.UtcNow.AddMinutes(3));
        Assert.Equal(answer, again);
        figures.Add("second retry", "same answer");

        // The database: each order canceled at most once, one ORDER_CANCELED event per accepted line.
        await using (var db = server.OpenDatabase())
        {
            var acts = await db.Orders.Where(o => o.SellerId == seller).Select(o => new { o.Id, Acts = o.Cancellations.Count })
                .Where(o => o.Acts > 0).ToListAsync();
            var events = await db.OrderEvents.Where(e => e.SellerId == seller && e.Type == nameof(Domain.OrderEventType.OrderCanceled))
                .GroupBy(e => e.OrderId).Select(g => new { OrderId = g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(lineOf.Keys.Order(StringComparer.Ordinal), acts.Select(a => a.Id).Order(StringComparer.Ordinal));
            Assert.All(acts, a => Assert.Equal(1, a.Acts));
            Assert.Equal(lineOf.Keys.Order(StringComparer.Ordinal), events.Select(e => e.OrderId).Order(StringComparer.Ordinal));
            Assert.All(events, e => Assert.Equal(1, e.Count));
            figures.Add("orders canceled in the database / canceled twice", $"{acts.Count:N0} / {acts.Count(a => a.Acts > 1)}");
        }

        // The subscriber: every cancellation once after de-duplication, each the committed one.
        var seen = beforeKill.Select(n => n.NotificationId).ToHashSet();
        await after.Until(() => seen.Count + after.Received.Count(n => !seen.Contains(n.NotificationId)) >= accepted, LongWait,
            $"{accepted:N0} distinct notices");
        await after.QuietAsync(TimeSpan.FromSeconds(15));
        var afterRestart = after.Received;
        var duplicates = afterRestart.Count(n => seen.Contains(n.NotificationId));
        var all = beforeKill.Concat(afterRestart).DistinctBy(n => n.NotificationId).ToList();
        var perOrder = all.GroupBy(n => n.OrderId).ToDictionary(g => g.Key, g => g.ToList());
        var missing = lineOf.Keys.Count(id => !perOrder.ContainsKey(id));
        var doubled = perOrder.Values.Count(g => g.Count > 1);
        var foreign = perOrder.Keys.Count(id => !lineOf.ContainsKey(id));
        var uncommitted = all.Count(n => lineOf.TryGetValue(n.OrderId, out var i) && n.EventTime != answer.Results[i].Cancellation.CancelTime);
        figures.Add("notices received before the kill / after the restart", $"{beforeKill.Count:N0} / {afterRestart.Count:N0}");
        figures.Add("duplicates dropped by the subscriber (notification_id)", duplicates);
        figures.Add("distinct notices / expected", $"{all.Count:N0} / {accepted:N0}");
        figures.Add("notices lost / doubled / for no accepted line / of an uncommitted attempt", $"{missing} / {doubled} / {foreign} / {uncommitted}");
        Assert.Equal(0, missing);
        Assert.Equal(0, doubled);
        Assert.Equal(0, foreign);
        Assert.Equal(0, uncommitted);
        figures.Mark("took");
    }

    /// <summary>Writes the end of the server's log into the test's output (a filter: it never catches).</summary>
    protected bool Dump(CrashServer server)
    {
        Output.WriteLine("server log (end):\n" + server.LogTail());
        return false;
    }
}
