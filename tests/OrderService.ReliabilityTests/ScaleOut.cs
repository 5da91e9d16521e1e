using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.Persistence;

using Domain = OrderService.Domain;

namespace OrderService.ReliabilityTests;

public sealed partial class PostgresCrashTests
{
    private const int ScaleOutCancels = 240;
    private const int ScaleOutRefunds = 120;
    private const int ScaleOutMissedShipDate = 150;
    private const int ScaleOutUnpaid = 60;
    private const int ScaleOutWarned = 90;

    /// <summary>Scale-out (issue 13): three server processes on one PostgreSQL database, each
    /// running the automatic cancellation pass every second. CancelOrder and RefundOrder calls
    /// go round-robin over the three, while orders due for R4, R5 and R5's warning are written
    /// into the database. A raw stream on each instance (no resuming, no de-duplication) gets
    /// every notice of the seller once, in the log's order, whichever instance committed it;
    /// every due order is canceled or warned once; and no pass ever trips over another's
    /// work, because one instance at a time holds the pass's advisory lock.</summary>
    [Fact]
    public async Task Three_instances_on_one_database_each_stream_gets_every_notice_once_in_order_and_the_pass_cancels_once()
    {
        var figures = new Figures("PostgreSQL: three server processes on one database", Output);
        // Each pool at 20, so that three instances stay well inside PostgreSQL's 100 connections.
        var settings = new CrashServer.ServerSettings(["--AutoCancel:Interval=00:00:01"], MaxPoolSize: 20);
        await using var first = await CrashServer.CreateAsync(DatabaseProvider.Postgres, settings);
        await using var second = first.AnotherInstance();
        await using var third = first.AnotherInstance();
        CrashServer[] instances = [first, second, third];
        try
        {
            await RunScaleOut(instances, figures);
        }
        catch (Exception) when (instances.All(Dump))
        {
            throw;
        }
        finally
        {
            figures.Print();
        }
    }

    private async Task RunScaleOut(CrashServer[] instances, Figures figures)
    {
        var run = RunId();
        var seller = $"SELLER-SCALE-{run}";
        var cancelIds = Enumerable.Range(0, ScaleOutCancels).Select(n => $"SC-{run}-{n:D4}").ToList();
        var refundIds = Enumerable.Range(0, ScaleOutRefunds).Select(n => $"SR-{run}-{n:D4}").ToList();
        var missedIds = Enumerable.Range(0, ScaleOutMissedShipDate).Select(n => $"SM-{run}-{n:D4}").ToList();
        var unpaidIds = Enumerable.Range(0, ScaleOutUnpaid).Select(n => $"SU-{run}-{n:D4}").ToList();
        var warnIds = Enumerable.Range(0, ScaleOutWarned).Select(n => $"SW-{run}-{n:D4}").ToList();
        await Seed.WriteAsync(instances[0], seller,
            [.. cancelIds.Select(id => (id, Seed.State.Unshipped)), .. refundIds.Select(id => (id, Seed.State.Shipped))]);
        foreach (var instance in instances)
        {
            await instance.StartAsync();
        }

        figures.Mark("three instances started at");

        var types = new[] { NotificationType.OrderCanceled, NotificationType.RefundIssued, NotificationType.AutoCancelWarning };
        var streams = instances.Select(i => new RawStream(i, seller, new SubscribeRequest { Types_ = { types } })).ToList();
        try
        {
            // In place: a heartbeat on each stream, after which a notice is not missed.
            foreach (var stream in streams)
            {
                await stream.Until(() => stream.Heartbeats > 0, LongWait, "the stream's first heartbeat");
            }

            long startId;
            await using (var db = instances[0].OpenDatabase())
            {
                startId = await db.OrderEvents.MaxAsync(e => (long?)e.Id) ?? 0;
            }

            // The due orders arrive while the passes run, and the calls go round-robin.
            var due = Seed.WriteAsync(instances[0], seller,
            [
                .. missedIds.Select(id => (id, Seed.State.Unshipped, TimeSpan.FromDays(10))),
                .. unpaidIds.Select(id => (id, Seed.State.Pending, TimeSpan.FromDays(22))),
                .. warnIds.Select(id => (id, Seed.State.Unshipped, TimeSpan.FromDays(8.5))),
            ]);
            var callers = instances.Select(i => i.Raw("seller", seller)).ToList();
            Outcome[] outcomes;
            try
            {
                var calls = cancelIds.Select((id, n) => Outcome.Of(() => callers[n % 3].Orders.CancelOrderAsync(
                        new CancelOrderRequest { RequestId = Guid.NewGuid().ToString(), OrderId = id, Reason = CancelReason.NoInventory },
                        deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync))
                    .Concat(refundIds.Select((id, n) => Outcome.Of(() => callers[(n + 1) % 3].Refunds.RefundOrderAsync(
                        new RefundOrderRequest
                        {
                            RequestId = Guid.NewGuid().ToString(),
                            OrderId = id,
                            Reason = AdjustmentReason.GeneralAdjustment,
                            Items =
                            {
                                new ItemRefund
                                {
                                    OrderItemId = "A",
                                    Amounts = { new ChargeAmount { Component = ChargeComponent.Principal, Amount = new Google.Type.Money { CurrencyCode = "JPY", Units = 500 } } },
                                },
                            },
                        },
                        deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync)))
                    .ToList();
                outcomes = await Task.WhenAll(calls).WaitAsync(LongWait);
                await due;
            }
            finally
            {
                callers.ForEach(c => c.Dispose());
            }

            figures.Add("calls (CancelOrder / RefundOrder), round-robin over the three", $"{ScaleOutCancels} / {ScaleOutRefunds}");
            figures.Add("calls answered OK", outcomes.Count(o => o.Ok));
            Assert.All(outcomes, o => Assert.True(o.Ok, o.ToString()));
            figures.Add("due orders written during the calls (R5 / R4 / warning only)", $"{ScaleOutMissedShipDate} / {ScaleOutUnpaid} / {ScaleOutWarned}");

            // The passes: every due order done.
            await WaitUntil(instances[0], async db =>
                await db.Orders.CountAsync(o => o.SellerId == seller && o.Status == Domain.OrderStatus.Canceled && (o.Id.StartsWith("SM-") || o.Id.StartsWith("SU-"))) == ScaleOutMissedShipDate + ScaleOutUnpaid
                && await db.Orders.CountAsync(o => o.SellerId == seller && o.Id.StartsWith("SW-") && o.AutoCancelWarnedAt != null) == ScaleOutWarned,
                "the passes to cancel and warn every due order");
            figures.Mark("every due order canceled or warned at");

            // What each stream must have got: the seller's notices of those types committed
            // after the streams were in place, in the log's order.
            List<string> expected;
            Dictionary<string, int> canceledEvents, warnings, cancellationActs;
            await using (var db = instances[0].OpenDatabase())
            {
                var typeNames = new[] { nameof(Domain.OrderEventType.OrderCanceled), nameof(Domain.OrderEventType.RefundIssued), nameof(Domain.OrderEventType.AutoCancelWarning) };
                var events = await db.OrderEvents.Where(e => e.Id > startId && e.SellerId == seller && typeNames.Contains(e.Type))
                    .OrderBy(e => e.Id).Select(e => new { e.EventId, e.OrderId, e.Type }).ToListAsync();
                expected = [.. events.Select(e => $"{e.EventId:N}-seller")];
                canceledEvents = events.Where(e => e.Type == nameof(Domain.OrderEventType.OrderCanceled))
                    .GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.Count());
                warnings = events.Where(e => e.Type == nameof(Domain.OrderEventType.AutoCancelWarning))
                    .GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.Count());
                cancellationActs = await db.Orders.Where(o => o.SellerId == seller).Select(o => new { o.Id, Acts = o.Cancellations.Count })
                    .Where(o => o.Acts > 0).ToDictionaryAsync(o => o.Id, o => o.Acts);
            }

            // Canceled once: the calls' orders and the due ones, each by one act and one event.
            var mustCancel = cancelIds.Concat(missedIds).Concat(unpaidIds).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(mustCancel, cancellationActs.Keys.Order(StringComparer.Ordinal));
            Assert.All(cancellationActs, a => Assert.True(a.Value == 1, $"{a.Key} was canceled {a.Value} times"));
            Assert.Equal(mustCancel, canceledEvents.Keys.Order(StringComparer.Ordinal));
            Assert.All(canceledEvents, e => Assert.True(e.Value == 1, $"{e.Key} has {e.Value} cancellation notices"));
            Assert.All(warnIds, id => Assert.True(warnings.GetValueOrDefault(id) == 1, $"{id} was warned {warnings.GetValueOrDefault(id)} times"));
            Assert.All(warnings, w => Assert.True(w.Value == 1, $"{w.Key} was warned {w.Value} times"));
            figures.Add("orders canceled / canceled twice / warned twice",
                $"{cancellationActs.Count} / {cancellationActs.Count(a => a.Value > 1)} / {warnings.Count(w => w.Value > 1)}");

            // Each stream: exactly the expected notices, once each, in order.
            for (var i = 0; i < streams.Count; i++)
            {
                var stream = streams[i];
                await stream.Until(() => stream.Count >= expected.Count, LongWait, $"{expected.Count} notices on instance {i + 1}");
                await stream.QuietAsync(TimeSpan.FromSeconds(15));
                var received = stream.Received;
                var ids = received.Select(n => n.NotificationId).ToList();
                figures.Add($"instance {i + 1}: notices received / expected / doubled",
                    $"{ids.Count} / {expected.Count} / {ids.Count - ids.Distinct().Count()}");
                Assert.Equal(expected, ids);
                var cursors = received.Select(n => long.Parse(n.Cursor, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.True(cursors.Zip(cursors.Skip(1)).All(p => p.First < p.Second), $"instance {i + 1}'s cursors are not increasing");
            }

            // One pass at a time: no instance's pass lost an order to another's (a conflict is
            // logged as "skipped"), and the work fell to whichever held the lock.
            var passLines = instances.Select(i => File.ReadLines(i.ServerLog).Count(l => l.Contains("Auto-cancel pass:", StringComparison.Ordinal))).ToList();
            var skippedLines = instances.Sum(i => File.ReadLines(i.ServerLog).Count(l => l.Contains("Auto-cancel skipped order", StringComparison.Ordinal)));
            figures.Add("passes that changed orders, per instance", string.Join(" / ", passLines));
            figures.Add("orders a pass lost to another instance's (conflicts)", skippedLines);
            Assert.Equal(0, skippedLines);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }

        figures.Mark("took");
    }
}
