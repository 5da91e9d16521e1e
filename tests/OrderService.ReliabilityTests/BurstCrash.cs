using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;

using Domain = OrderService.Domain;

namespace OrderService.ReliabilityTests;

public abstract partial class CrashTests
{
    private const int BurstCancels = 300;
    private const int BurstRefundOrders = 150;
    private const int BurstConnections = 4;

    /// <summary>Of the shipped orders' 2,000 JPY, each refund call asks for 1,200: of the two
    /// calls per order exactly one can be accepted, the other must be refused (R22).</summary>
    private const long RefundAsked = 1_200;

    /// <summary>Scenario (b): a burst of concurrent single CancelOrder and RefundOrder calls,
    /// SIGKILLed once a quarter of them have been answered. After the restart every call is
    /// retried with its own request_id (twice): an answered call gets its answer again, a lost
    /// one an answer consistent with exactly one effect; every order is canceled once, every
    /// shipped order refunded once, never past what was charged (R22); the subscriber,
    /// resumed from its cursor file, gets one notice per change.</summary>
    [Fact]
    public async Task Burst_of_cancels_and_refunds_killed_mid_way_applies_each_once_on_retry()
    {
        var figures = new Figures($"{Provider}: {BurstCancels + 2 * BurstRefundOrders} concurrent CancelOrder/RefundOrder calls, SIGKILL mid-burst", Output);
        await using var server = await CrashServer.CreateAsync(Provider);
        try
        {
            await RunBurst(server, figures);
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

    private sealed record BurstCall(string OrderId, bool IsCancel, IMessage Request)
    {
        public Task<Outcome> Send(OrderServiceConnection connection) => IsCancel
            ? Outcome.Of(() => connection.Orders.CancelOrderAsync((CancelOrderRequest)Request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync)
            : Outcome.Of(() => connection.Refunds.RefundOrderAsync((RefundOrderRequest)Request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync);
    }

    /// <summary>SIGSTOPs the server until the database holds a committed change whose call
    /// has no answer yet (each look after 200 ms, for the answers already sent to arrive),
    /// at most 12 times; returns paused, with how many looks it took and how many such changes
    /// it saw.</summary>
    private static async Task<(int Pauses, int Caught)> HoldAtUnansweredCommit(
        CrashServer server, string seller, List<BurstCall> calls, Outcome?[] got, Task allAnswered)
    {
        for (var pause = 1; ; pause++)
        {
            await server.PauseAsync();
            await Task.Delay(200);
            List<string> changed;
            await using (var db = server.OpenDatabase())
            {
                changed = await db.Orders.Where(o => o.SellerId == seller && (o.Cancellations.Count > 0 || o.Refunds.Count > 0))
                    .Select(o => o.Id).ToListAsync();
            }

            var answeredOk = Enumerable.Range(0, calls.Count).Where(i => Volatile.Read(ref got[i]) is { Ok: true })
                .Select(i => calls[i].OrderId).ToHashSet();
            var caught = changed.Count(id => !answeredOk.Contains(id));
            if (caught > 0 || pause == 12 || allAnswered.IsCompleted)
            {
                return (pause, caught);
            }

            await server.ResumeAsync();
            await Task.Delay(Random.Shared.Next(5, 50));
        }
    }

    private async Task RunBurst(CrashServer server, Figures figures)
    {
        var run = RunId();
        var seller = $"SELLER-BURST-{run}";
        var cancelOrders = Enumerable.Range(0, BurstCancels).Select(n => $"BC-{run}-{n:D4}").ToList();
        var refundOrders = Enumerable.Range(0, BurstRefundOrders).Select(n => $"BR-{run}-{n:D4}").ToList();
        await Seed.WriteAsync(server, seller,
            [.. cancelOrders.Select(id => (id, Seed.State.Unshipped)), .. refundOrders.Select(id => (id, Seed.State.Shipped))]);

        var calls = cancelOrders
            .Select(id => new BurstCall(id, true, new CancelOrderRequest { RequestId = Guid.NewGuid().ToString(), OrderId = id, Reason = CancelReason.NoInventory }))
            .Concat(refundOrders.SelectMany(id => Enumerable.Range(0, 2).Select(_ => new BurstCall(id, false, new RefundOrderRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                OrderId = id,
                Reason = AdjustmentReason.GeneralAdjustment,
                Items =
                {
                    new ItemRefund
                    {
                        OrderItemId = "A",
                        Amounts = { new ChargeAmount { Component = ChargeComponent.Principal, Amount = new Google.Type.Money { CurrencyCode = "JPY", Units = RefundAsked } } },
                    },
                },
            }))))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        figures.Add("calls (CancelOrder / RefundOrder)", $"{calls.Count} ({BurstCancels} / {2 * BurstRefundOrders})");
        figures.Mark("seeded at");
        await server.StartAsync();

        var cursorFile = Path.Combine(Path.GetDirectoryName(server.ServerLog)!, "seller.cursor");
        var notices = new SubscribeRequest { Types_ = { NotificationType.OrderCanceled, NotificationType.RefundIssued } };
        var store = new CheckpointingCursorStore(cursorFile, every: 25);
        var before = new NoticeSubscriber(server, seller, notices, store);
        Outcome[] first;
        DateTimeOffset killed;
        try
        {
            await before.Until(() => store.HasCursor, LongWait, "the subscription to be in place");

            // All at once over a few connections; the kill goes out with the K-th answer.
            var killAfter = calls.Count / 4;
            var answers = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var got = new Outcome?[calls.Count];
            var connections = Enumerable.Range(0, BurstConnections).Select(_ => server.Raw("seller", seller)).ToList();
            try
            {
                var burst = calls.Select(async (call, i) =>
                {
                    var outcome = await call.Send(connections[i % BurstConnections]);
                    Volatile.Write(ref got[i], outcome);
                    if (outcome.Answered && Interlocked.Increment(ref answers) == killAfter)
                    {
                        enough.TrySetResult();
                    }

                    return outcome;
                }).ToList();
                var all = Task.WhenAll(burst);
                await Task.WhenAny(enough.Task, all).WaitAsync(LongWait);
                Assert.False(all.IsCompleted, "every call was answered before the kill: the kill came too late");
                figures.Add($"answers when the kill was prepared (the {killAfter}th)", Volatile.Read(ref answers));

                // The case that matters most is a change that committed but whose answer had not
                // left: hold the server still, let what is on the wire arrive, and kill it where
                // the database shows such a change, else let it run a moment and look again.
                var (pauses, caught) = await HoldAtUnansweredCommit(server, seller, calls, got, all);
                figures.Add("pauses (SIGSTOP) before the kill / changes committed but unanswered when killed", $"{pauses} / {caught}");
                await server.KillAsync();
                killed = DateTimeOffset.UtcNow;
                first = await all.WaitAsync(LongWait);
            }
            finally
            {
                connections.ForEach(c => c.Dispose());
            }
        }
        finally
        {
            await before.DisposeAsync();
        }

        var beforeKill = before.Received;
        var answered = Enumerable.Range(0, calls.Count).Where(i => first[i].Answered).ToList();
        var lost = Enumerable.Range(0, calls.Count).Where(i => first[i].Lost).ToList();
        figures.Add("answered before the kill: OK / refused / ABORTED", $"{answered.Count(i => first[i].Ok)} / {answered.Count(i => !first[i].Ok && !first[i].Transient)} / {answered.Count(i => first[i].Transient)}");
        figures.Add("lost in the crash (no answer)", $"{lost.Count} ({string.Join(", ", lost.GroupBy(i => first[i].Code).Select(g => $"{g.Count()} {g.Key}"))})");
        Assert.NotEmpty(lost);

        // Restart; every call again with its own request_id, twice.
        var restarted = DateTimeOffset.UtcNow;
        await server.StartAsync();
        figures.Mark("restarted at");
        await using var after = new NoticeSubscriber(server, seller, notices, new CheckpointingCursorStore(cursorFile, every: 25));
        var retryConnections = Enumerable.Range(0, BurstConnections).Select(_ => server.Raw("seller", seller)).ToList();
        Outcome[] retried, again;
        var abortedRetries = 0;
        try
        {
            async Task<Outcome[]> RetryAll() => await Task.WhenAll(calls.Select(async (call, i) =>
            {
                // ABORTED wrote nothing and says "retry": retried here as a client would.
                for (var attempt = 1; ; attempt++)
                {
                    var outcome = await call.Send(retryConnections[i % BurstConnections]);
                    if (!outcome.Transient || attempt == 5)
                    {
                        return outcome;
                    }

                    Interlocked.Increment(ref abortedRetries);
                }
            })).WaitAsync(LongWait);

            retried = await RetryAll();
            again = await RetryAll();
        }
        finally
        {
            retryConnections.ForEach(c => c.Dispose());
        }

        figures.Add("retried after the restart (every call, twice)", $"{calls.Count} x 2 (+{abortedRetries} after ABORTED)");
        Assert.All(retried.Concat(again), o => Assert.True(o.Answered && !o.Transient, $"a retry after the restart got {o}"));

        // Answers do not change across the crash, nor between the two retries.
        var changed = answered.Where(i => !first[i].Transient && !first[i].SameAs(retried[i])).ToList();
        Assert.True(changed.Count == 0, "answers changed across the crash:\n" + string.Join("\n", changed.Take(5).Select(i => $"{first[i]}\n  -> {retried[i]}")));
        var unstable = Enumerable.Range(0, calls.Count).Where(i => !retried[i].SameAs(again[i])).ToList();
        Assert.True(unstable.Count == 0, "the two retries answered differently:\n" + string.Join("\n", unstable.Take(5).Select(i => $"{retried[i]}\n  -> {again[i]}")));

        // A lost call: either it had committed (its retry replays a change made before the
        // kill) or it had not (the retry makes it now), never both.
        static DateTimeOffset? ChangedAt(Outcome o) => o.Response switch
        {
            CancelOrderResponse c => c.Cancellation.CancelTime.ToDateTimeOffset(),
            RefundOrderResponse r => r.Refund.CreateTime.ToDateTimeOffset(),
            _ => null,
        };
        var lostCommitted = lost.Count(i => ChangedAt(retried[i]) < killed);
        var lostApplied = lost.Count(i => ChangedAt(retried[i]) >= restarted);
        var lostRefused = lost.Count(i => !retried[i].Ok);
        Assert.Equal(lost.Count, lostCommitted + lostApplied + lostRefused);
        figures.Add("lost calls: had committed before the kill / applied by the retry / refused on retry", $"{lostCommitted} / {lostApplied} / {lostRefused}");

        // Every order canceled once; every shipped order refunded once, the other call refused.
        var byOrder = Enumerable.Range(0, calls.Count).GroupBy(i => calls[i].OrderId).ToDictionary(g => g.Key, g => g.ToList());
        using var reader = server.Raw("seller", seller);
        await Task.WhenAll(cancelOrders.Select(async orderId =>
        {
            var answer = Assert.Single(byOrder[orderId]);
            Assert.True(retried[answer].Ok, $"{orderId}: CancelOrder answered {retried[answer]}");
            var order = (await reader.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;
            Assert.Equal(OrderStatus.Canceled, order.Status);
            Assert.Equal(((CancelOrderResponse)retried[answer].Response!).Cancellation, Assert.Single(order.Cancellations));
        })).WaitAsync(LongWait);

        var amounts = await Task.WhenAll(refundOrders.Select(async orderId =>
        {
            var outcomes = byOrder[orderId].Select(i => retried[i]).ToList();
            var accepted = Assert.Single(outcomes, o => o.Ok);
            var refused = Assert.Single(outcomes, o => !o.Ok);
            Assert.Equal((StatusCode.FailedPrecondition, "AMOUNT_EXCEEDS_REFUNDABLE"), (refused.Code, refused.Reason));
            var refunds = await reader.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = orderId });
            Assert.Equal(((RefundOrderResponse)accepted.Response!).Refund, Assert.Single(refunds.Refunds));
            var refundable = await reader.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = orderId });
            var principal = Assert.Single(Assert.Single(refundable.Items).Components);
            Assert.Equal(RefundAsked, principal.Refunded.Units);
            Assert.InRange(principal.Refunded.Units, 0, principal.Charged.Units);
            return (Refunded: principal.Refunded.Units, Charged: principal.Charged.Units);
        })).WaitAsync(LongWait);
        var refunded = amounts.Sum(a => a.Refunded);
        var charged = amounts.Sum(a => a.Charged);

        figures.Add("refunded / charged over the shipped orders (JPY)", $"{refunded:N0} / {charged:N0}");

        // The database: one act per canceled order, one refund per shipped order, one event each.
        await using (var db = server.OpenDatabase())
        {
            var rows = await db.Orders.Where(o => o.SellerId == seller)
                .Select(o => new { o.Id, Acts = o.Cancellations.Count, Refunds = o.Refunds.Count }).ToListAsync();
            var events = await db.OrderEvents
                .Where(e => e.SellerId == seller && (e.Type == nameof(Domain.OrderEventType.OrderCanceled) || e.Type == nameof(Domain.OrderEventType.RefundIssued)))
                .GroupBy(e => e.OrderId).Select(g => new { OrderId = g.Key, Count = g.Count() }).ToListAsync();
            Assert.All(rows, r => Assert.Equal(1, r.Acts + r.Refunds));
            Assert.Equal(BurstCancels + BurstRefundOrders, rows.Count);
            Assert.All(events, e => Assert.Equal(1, e.Count));
            Assert.Equal(BurstCancels + BurstRefundOrders, events.Count);
            figures.Add("orders changed twice in the database", rows.Count(r => r.Acts + r.Refunds > 1));
        }

        // The subscriber: one notice per change after de-duplication, each of the committed change.
        var expectedNotices = BurstCancels + BurstRefundOrders;
        var seen = beforeKill.Select(n => n.NotificationId).ToHashSet();
        await after.Until(() => seen.Count + after.Received.Count(n => !seen.Contains(n.NotificationId)) >= expectedNotices, LongWait,
            $"{expectedNotices} distinct notices");
        await after.QuietAsync(TimeSpan.FromSeconds(15));
        var afterRestart = after.Received;
        var distinct = beforeKill.Concat(afterRestart).DistinctBy(n => n.NotificationId).ToList();
        var answerOf = Enumerable.Range(0, calls.Count).Where(i => retried[i].Ok).ToDictionary(i => calls[i].OrderId, i => retried[i].Response!);
        var perOrder = distinct.GroupBy(n => n.OrderId).ToDictionary(g => g.Key, g => g.ToList());
        var missing = answerOf.Keys.Count(id => !perOrder.ContainsKey(id));
        var doubled = perOrder.Values.Count(g => g.Count > 1);
        var foreign = perOrder.Keys.Count(id => !answerOf.ContainsKey(id));
        var uncommitted = distinct.Count(n => answerOf.TryGetValue(n.OrderId, out var response) && response switch
        {
            CancelOrderResponse c => n.Type != NotificationType.OrderCanceled || n.EventTime != c.Cancellation.CancelTime,
            RefundOrderResponse r => n.Type != NotificationType.RefundIssued || !r.Refund.Equals(n.Refund),
            _ => true,
        });
        figures.Add("notices received before the kill / after the restart", $"{beforeKill.Count} / {afterRestart.Count}");
        figures.Add("duplicates dropped by the subscriber (notification_id)", afterRestart.Count(n => seen.Contains(n.NotificationId)));
        figures.Add("distinct notices / expected", $"{distinct.Count} / {expectedNotices}");
        figures.Add("notices lost / doubled / for no change / of an uncommitted attempt", $"{missing} / {doubled} / {foreign} / {uncommitted}");
        Assert.Equal(0, missing);
        Assert.Equal(0, doubled);
        Assert.Equal(0, foreign);
        Assert.Equal(0, uncommitted);
        figures.Mark("took");
    }
}
