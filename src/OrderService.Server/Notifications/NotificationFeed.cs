using System.Globalization;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderService.Domain;
using OrderService.Persistence;
using OrderService.Application.Mapping;
using OrderService.Application.Telemetry;
using OrderService.Server.Errors;
using OrderService.Server.Services;
using Api = OrderService.Contracts.V1;

namespace OrderService.Server.Notifications;

/// <summary>What a subscriber asked for, after validation.</summary>
public sealed record Subscription(
    Caller Caller,
    NotificationAudience Audience,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> OrderIds,
    long? ResumeAfter);

/// <summary>How one stream talks to its transport.</summary>
public sealed record StreamTransport(
    Func<Api.SubscribeResponse, CancellationToken, Task> Write,
    Func<long, Task> Started,
    Action Abort,
    CancellationToken CallCancelled);

/// <summary>The number of open notification streams in this process.</summary>
public sealed class NotificationStreams
{
    private int _active;

    public int Active => Volatile.Read(ref _active);

    internal void Opened() => Interlocked.Increment(ref _active);

    internal void Closed() => Interlocked.Decrement(ref _active);
}

/// <summary>Streams notices from the event log to one subscriber: replay after the
/// cursor, then live, with no gap and no duplicate at the seam, because both phases read
/// "events after the last cursor, in id order, up to the log's horizon": from the database
/// while the cursor is older than what the instance's <see cref="EventLogTail"/> holds, then
/// from the tail in memory, so that a live stream costs no database work of its own.
/// A reader fills a bounded buffer; a writer drains it to the client. A client that stops
/// reading fills the buffer and is cut off with RESOURCE_EXHAUSTED, never slowing anyone
/// else; memory per stream stays bounded, and the stream of a client that reads nothing at
/// all is reset after <see cref="NotificationOptions.StalledWriteTimeout"/>.</summary>
public sealed class NotificationFeed(
    OrderDbContext db,
    EventLogTail tail,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    NotificationStreams streams,
    OrderServiceMetrics metrics,
    IOptions<NotificationOptions> options)
{
    /// <summary>Response metadata carrying the cursor the stream starts after. Headers
    /// are sent once the subscription is in place: from then on nothing is missed.</summary>
    public const string StartCursorHeader = "orderservice-start-cursor";

    private NotificationOptions Options => options.Value;

    public async Task StreamAsync(Subscription subscription, StreamTransport transport)
    {
        var callCancelled = transport.CallCancelled;
        var (cursor, horizon) = await StartCursorAsync(subscription.ResumeAfter, callCancelled);
        await transport.Started(cursor);

        streams.Opened();
        metrics.SubscriberOpened(subscription.Audience);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, lifetime.ApplicationStopping);
            using var abortWrite = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
            var buffer = Channel.CreateBounded<Api.SubscribeResponse>(new BoundedChannelOptions(Options.BufferCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
            });
            var written = new WrittenCursor(cursor);
            // Notices of events past the horizon at the start are live; those before it, a replay.
            var writer = DrainAsync(buffer.Reader, transport.Write, written,
                (notice, noticeCursor) => metrics.NoticeSent(clock.GetUtcNow() - notice.EventTime.ToDateTimeOffset(), live: noticeCursor > horizon),
                stop.Token, abortWrite.Token);

            Outcome outcome;
            var reset = false;
            try
            {
                outcome = await FillAsync(subscription, cursor, buffer.Writer, writer, stop.Token);
            }
            finally
            {
                // Whatever ended the reading (an OUT_OF_RANGE mid-stream, a database error),
                // the writer stops before the call's final status is written.
                buffer.Writer.TryComplete();
                await stop.CancelAsync(); // the writer finishes the write in flight, then stops...
                abortWrite.CancelAfter(Options.StalledWriteTimeout); // ...if the client lets it
                try
                {
                    await writer;
                }
                catch (Exception) when (callCancelled.IsCancellationRequested)
                {
                    // the client left; nobody to tell
                }
                catch (OperationCanceledException) when (abortWrite.IsCancellationRequested)
                {
                    // The client reads nothing at all: no status can reach it. Reset the
                    // stream so that it holds nothing here; it resumes from its last cursor.
                    transport.Abort();
                    reset = true;
                }
            }

            if (callCancelled.IsCancellationRequested || reset)
            {
                return;
            }

            var resumeAfter = written.Value.ToString(CultureInfo.InvariantCulture);
            switch (outcome)
            {
                case Outcome.SlowSubscriber:
                    throw RpcErrors.ResourceExhausted("SUBSCRIBER_TOO_SLOW",
                        $"The stream fell more than {Options.BufferCapacity} notices behind for {Options.SlowSubscriberTimeout}; resume with resume_after = \"{resumeAfter}\".",
                        new Dictionary<string, string> { ["resume_after"] = resumeAfter });
                case Outcome.Stopping when !callCancelled.IsCancellationRequested:
                    throw RpcErrors.Unavailable("SERVER_SHUTTING_DOWN",
                        $"The server is shutting down; reconnect with resume_after = \"{resumeAfter}\".",
                        new Dictionary<string, string> { ["resume_after"] = resumeAfter });
            }
        }
        finally
        {
            streams.Closed();
            metrics.SubscriberClosed(subscription.Audience);
        }
    }

    private enum Outcome
    {
        Stopping,
        SlowSubscriber,
        WriterEnded,
    }

    /// <summary>The cursor before the first event to send: the client's, checked against
    /// the log, or the log's horizon now (a new subscriber starts live); and that horizon.</summary>
    private async Task<(long Cursor, long Horizon)> StartCursorAsync(long? resumeAfter, CancellationToken cancellationToken)
    {
        await tail.WhenStartedAsync(cancellationToken);
        var (newest, prunedThrough) = await db.EventLogPositionAsync(cancellationToken);
        if (newest > tail.Head)
        {
            tail.Wake(); // the stream will wait for the tail to pass its cursor
        }

        if (resumeAfter is null)
        {
            return (newest, newest);
        }

        if (resumeAfter.Value > newest)
        {
            // Not a cursor of this log (another database, or one restored from a backup):
            // following it would skip every notice until the ids caught up.
            var newestCursor = newest.ToString(CultureInfo.InvariantCulture);
            throw RpcErrors.OutOfRange("CURSOR_AHEAD_OF_LOG",
                $"resume_after {resumeAfter} is beyond the newest notice ({newestCursor}); it was not issued by this service's log. Reconcile with ListOrders and resume from \"{newestCursor}\".",
                new Dictionary<string, string> { ["newest_cursor"] = newestCursor });
        }

        EnsureNotPruned(resumeAfter.Value, prunedThrough);
        return (resumeAfter.Value, newest);
    }

    /// <summary>OUT_OF_RANGE when events after the cursor may have been deleted by
    /// retention. Checked against the watermark read after each batch: retention moves the
    /// watermark in the same transaction as its delete, so a batch that missed deleted
    /// rows always sees the watermark past its cursor, and the stream fails loudly instead
    /// of skipping what was pruned under it.</summary>
    private static void EnsureNotPruned(long cursor, long prunedThrough)
    {
        if (cursor < prunedThrough)
        {
            var oldest = prunedThrough.ToString(CultureInfo.InvariantCulture);
            throw RpcErrors.OutOfRange("CURSOR_PRUNED",
                $"Notices after cursor {cursor} are past retention and were deleted. The oldest cursor to resume from is \"{oldest}\"; what came before it must be reconciled with GetOrder/ListOrders.",
                new Dictionary<string, string> { ["oldest_resume_after"] = oldest });
        }
    }

    private async Task<Outcome> FillAsync(
        Subscription subscription, long cursor, ChannelWriter<Api.SubscribeResponse> buffer, Task writer, CancellationToken stop)
    {
        var lastSent = clock.GetUtcNow();
        try
        {
            var wanted = Filter(subscription);
            while (true)
            {
                var wake = tail.NextAdvanceAsync(); // before reading: an advance after the read still wakes us

                // Every event up to the horizon is visible and final: after reading them the
                // cursor moves on, even past events that were not for this subscriber, and
                // the next read starts there.
                var read = tail.Read(cursor, wanted, Options.BatchSize);
                List<OrderEventRecord> batch;
                long readThrough;
                if (read.Covered)
                {
                    (batch, readThrough) = (read.Events, read.ReadThrough);
                    EnsureNotPruned(cursor, tail.PrunedThrough);
                }
                else
                {
                    var ceiling = read.ReadThrough;
                    batch = await ReadBatchAsync(subscription, cursor, ceiling, stop);
                    EnsureNotPruned(cursor, (await db.EventLogPositionAsync(stop)).PrunedThrough);
                    readThrough = batch.Count == Options.BatchSize ? batch[^1].Id : ceiling;
                }

                foreach (var record in batch)
                {
                    if (!await EnqueueAsync(buffer, ToNotice(record, subscription.Audience), writer, stop))
                    {
                        return writer.IsCompleted ? Outcome.WriterEnded : Outcome.SlowSubscriber;
                    }

                    cursor = record.Id;
                    lastSent = clock.GetUtcNow();
                }

                cursor = Math.Max(cursor, readThrough);
                if (batch.Count == Options.BatchSize)
                {
                    continue; // more is waiting
                }

                var heartbeatDue = lastSent + Options.HeartbeatInterval;
                var untilHeartbeat = heartbeatDue - clock.GetUtcNow();
                var idle = untilHeartbeat;
                if (idle > TimeSpan.Zero)
                {
                    using var idleTimer = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    await Task.WhenAny(wake, Task.Delay(idle, clock, idleTimer.Token), writer);
                    await idleTimer.CancelAsync(); // no timer left behind when woken early
                    stop.ThrowIfCancellationRequested();
                    if (writer.IsCompleted)
                    {
                        return Outcome.WriterEnded;
                    }
                }

                if (clock.GetUtcNow() >= heartbeatDue)
                {
                    var heartbeat = new Api.SubscribeResponse
                    {
                        Heartbeat = new Api.Heartbeat
                        {
                            ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
                            Cursor = cursor.ToString(CultureInfo.InvariantCulture),
                        },
                    };
                    if (!await EnqueueAsync(buffer, heartbeat, writer, stop))
                    {
                        return writer.IsCompleted ? Outcome.WriterEnded : Outcome.SlowSubscriber;
                    }

                    lastSent = clock.GetUtcNow();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Outcome.Stopping;
        }
    }

    /// <summary>False when the buffer stayed full for the slow-subscriber timeout, or the
    /// writer is gone.</summary>
    private async Task<bool> EnqueueAsync(ChannelWriter<Api.SubscribeResponse> buffer, Api.SubscribeResponse item, Task writer, CancellationToken stop)
    {
        if (buffer.TryWrite(item))
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(Options.SlowSubscriberTimeout);
        try
        {
            while (await buffer.WaitToWriteAsync(timeout.Token))
            {
                if (buffer.TryWrite(item))
                {
                    return true;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException) when (writer.IsCompleted)
        {
            return false;
        }
    }

    private static async Task DrainAsync(
        ChannelReader<Api.SubscribeResponse> buffer,
        Func<Api.SubscribeResponse, CancellationToken, Task> write,
        WrittenCursor written,
        Action<Api.Notification, long> sent,
        CancellationToken stop,
        CancellationToken abortWrite)
    {
        try
        {
            while (await buffer.WaitToReadAsync(stop))
            {
                while (!stop.IsCancellationRequested && buffer.TryRead(out var item))
                {
                    // Cancelled only to give up on a client that reads nothing: the
                    // connection is then dropped, never left with half a message.
                    await write(item, abortWrite);
                    written.Value = item.KindCase switch
                    {
                        Api.SubscribeResponse.KindOneofCase.Notification => long.Parse(item.Notification.Cursor, CultureInfo.InvariantCulture),
                        Api.SubscribeResponse.KindOneofCase.Heartbeat => long.Parse(item.Heartbeat.Cursor, CultureInfo.InvariantCulture),
                        _ => written.Value,
                    };
                    if (item.KindCase == Api.SubscribeResponse.KindOneofCase.Notification)
                    {
                        sent(item.Notification, written.Value);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !abortWrite.IsCancellationRequested)
        {
            // stopping: the caller decides the final status
        }
    }

    /// <summary>Which events of the log are for this subscriber, as the tail checks them in
    /// memory; <see cref="ReadBatchAsync"/> asks the database the same.</summary>
    private static Func<OrderEventRecord, bool> Filter(Subscription subscription)
    {
        var types = subscription.EventTypes.ToHashSet(StringComparer.Ordinal);
        var orders = subscription.OrderIds.ToHashSet(StringComparer.Ordinal);
        var id = subscription.Caller.Id;
        var seller = subscription.Audience == NotificationAudience.Seller;
        return e => types.Contains(e.Type)
            && (seller ? e.SellerId == id : e.BuyerId == id)
            && (orders.Count == 0 || orders.Contains(e.OrderId));
    }

    private async Task<List<OrderEventRecord>> ReadBatchAsync(Subscription subscription, long cursor, long ceiling, CancellationToken cancellationToken)
    {
        var query = db.OrderEvents.AsNoTracking()
            .Where(e => e.Id > cursor && e.Id <= ceiling && subscription.EventTypes.Contains(e.Type));
        query = subscription.Audience == NotificationAudience.Seller
            ? query.Where(e => e.SellerId == subscription.Caller.Id)
            : query.Where(e => e.BuyerId == subscription.Caller.Id);
        if (subscription.OrderIds.Count > 0)
        {
            query = query.Where(e => subscription.OrderIds.Contains(e.OrderId));
        }

        return await query.OrderBy(e => e.Id).Take(Options.BatchSize).ToListAsync(cancellationToken);
    }

    private static Api.SubscribeResponse ToNotice(OrderEventRecord record, NotificationAudience audience)
    {
        var payload = OrderEventPayload.FromJson(record.Payload);
        var summary = new Api.OrderSummary
        {
            Status = (Api.OrderStatus)payload.Status,
            BuyerCancellationRequested = payload.BuyerCancellationReason is not null,
            BuyerCancellationReason = payload.BuyerCancellationReason ?? "",
        };
        summary.Items.AddRange(payload.Items.Select(i => new Api.ItemQuantities
        {
            OrderItemId = i.OrderItemId,
            QuantityOrdered = i.Ordered,
            QuantityShipped = i.Shipped,
            QuantityCanceled = i.Canceled,
        }));
        return new Api.SubscribeResponse
        {
            Notification = new Api.Notification
            {
                Cursor = record.Id.ToString(CultureInfo.InvariantCulture),
                NotificationId = $"{record.EventId:N}-{audience.ToString().ToLowerInvariant()}",
                Type = (Api.NotificationType)System.Enum.Parse<OrderEventType>(record.Type),
                Audience = (Api.NotificationAudience)audience,
                EventTime = Timestamp.FromDateTimeOffset(record.OccurredAt),
                OrderId = record.OrderId,
                Order = summary,
                Cancellation = ContractMapper.ToProto(payload.Cancellation),
                Refund = payload.Refund is { } refund
                    ? ContractMapper.ToProto(refund.RefundId, record.OrderId, refund.Reason, refund.CurrencyCode, refund.RefundedAt, refund.Lines)
                    : null,
                AddressChangeReason = payload.AddressChangeReason ?? "",
            },
        };
    }

    /// <summary>The cursor of the last notice or heartbeat handed to the transport.</summary>
    private sealed class WrittenCursor(long value)
    {
        public long Value { get; set; } = value;
    }
}
