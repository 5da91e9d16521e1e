using System.Globalization;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderService.Domain;
using OrderService.Persistence;
using OrderService.Server.Access;
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

/// <summary>Streams notices from the event log to one subscriber: replay after the
/// cursor, then live, with no gap and no duplicate at the seam, because both phases are
/// the same query "events after the last cursor, in id order" and ids commit in order.
/// A reader fills a bounded buffer; a writer drains it to the client. A client that stops
/// reading fills the buffer and is cut off with RESOURCE_EXHAUSTED, never slowing anyone
/// else; memory per stream stays bounded.</summary>
public sealed class NotificationFeed(
    OrderDbContext db,
    EventLogSignal signal,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    IOptions<NotificationOptions> options)
{
    private NotificationOptions Options => options.Value;

    /// <summary>Response metadata carrying the cursor the stream starts after. Headers
    /// are sent once the subscription is in place: from then on nothing is missed.</summary>
    public const string StartCursorHeader = "orderservice-start-cursor";

    public async Task StreamAsync(
        Subscription subscription,
        Func<Api.SubscribeResponse, Task> write,
        Func<long, Task> started,
        CancellationToken callCancelled)
    {
        var cursor = await StartCursorAsync(subscription.ResumeAfter, callCancelled);
        await started(cursor);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, lifetime.ApplicationStopping);
        var buffer = Channel.CreateBounded<Api.SubscribeResponse>(new BoundedChannelOptions(Options.BufferCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var written = new WrittenCursor(cursor);
        var writer = DrainAsync(buffer.Reader, write, written, stop.Token);

        var outcome = await FillAsync(subscription, cursor, buffer.Writer, writer, stop.Token);
        buffer.Writer.TryComplete();
        await stop.CancelAsync(); // the writer finishes the write in flight, then stops
        await writer;

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

    private enum Outcome
    {
        Stopping,
        SlowSubscriber,
        WriterFailed,
    }

    /// <summary>The cursor before the first event to send: the client's, checked against
    /// retention, or the newest event now (a new subscriber starts live).</summary>
    private async Task<long> StartCursorAsync(long? resumeAfter, CancellationToken cancellationToken)
    {
        if (resumeAfter is null)
        {
            return await db.OrderEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        }

        var prunedThrough = await db.EventLogState.AsNoTracking()
            .Where(s => s.Id == EventLogState.SingletonId).Select(s => s.PrunedThroughId)
            .FirstOrDefaultAsync(cancellationToken);
        if (resumeAfter.Value < prunedThrough)
        {
            var oldest = prunedThrough.ToString(CultureInfo.InvariantCulture);
            throw RpcErrors.OutOfRange("CURSOR_PRUNED",
                $"Notices after cursor {resumeAfter} are past retention and were deleted. The oldest cursor to resume from is \"{oldest}\"; what came before it must be reconciled with GetOrder/ListOrders.",
                new Dictionary<string, string> { ["oldest_resume_after"] = oldest });
        }

        return resumeAfter.Value;
    }

    private async Task<Outcome> FillAsync(
        Subscription subscription, long cursor, ChannelWriter<Api.SubscribeResponse> buffer, Task writer, CancellationToken stop)
    {
        var lastSent = clock.GetUtcNow();
        try
        {
            while (true)
            {
                var wake = signal.NextAsync(); // before reading: a commit after the read still wakes us
                var batch = await ReadBatchAsync(subscription, cursor, stop);
                foreach (var record in batch)
                {
                    if (!await EnqueueAsync(buffer, ToNotice(record, subscription.Audience), writer, stop))
                    {
                        return writer.IsCompleted ? Outcome.WriterFailed : Outcome.SlowSubscriber;
                    }

                    cursor = record.Id;
                    lastSent = clock.GetUtcNow();
                }

                if (batch.Count == Options.BatchSize)
                {
                    continue; // more is waiting
                }

                var heartbeatDue = lastSent + Options.HeartbeatInterval;
                var untilHeartbeat = heartbeatDue - clock.GetUtcNow();
                var idle = untilHeartbeat < Options.PollInterval ? untilHeartbeat : Options.PollInterval;
                if (idle > TimeSpan.Zero)
                {
                    await Task.WhenAny(wake, Task.Delay(idle, clock, stop), writer);
                    stop.ThrowIfCancellationRequested();
                    if (writer.IsCompleted)
                    {
                        return Outcome.WriterFailed;
                    }
                }

                if (clock.GetUtcNow() >= heartbeatDue)
                {
                    var heartbeat = new Api.SubscribeResponse
                    {
                        Heartbeat = new Api.Heartbeat { ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) },
                    };
                    if (!await EnqueueAsync(buffer, heartbeat, writer, stop))
                    {
                        return writer.IsCompleted ? Outcome.WriterFailed : Outcome.SlowSubscriber;
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
        ChannelReader<Api.SubscribeResponse> buffer, Func<Api.SubscribeResponse, Task> write, WrittenCursor written, CancellationToken stop)
    {
        try
        {
            while (await buffer.WaitToReadAsync(stop))
            {
                while (!stop.IsCancellationRequested && buffer.TryRead(out var item))
                {
                    // Not cancellable: a half-written message would break the stream. A
                    // client that never reads holds only this call, bounded in memory.
                    await write(item);
                    if (item.Notification is { } notice)
                    {
                        written.Value = long.Parse(notice.Cursor, CultureInfo.InvariantCulture);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping: the caller decides the final status
        }
    }

    private async Task<List<OrderEventRecord>> ReadBatchAsync(Subscription subscription, long cursor, CancellationToken cancellationToken)
    {
        var query = db.OrderEvents.AsNoTracking().Where(e => e.Id > cursor && subscription.EventTypes.Contains(e.Type));
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
                Cancellation = ProtoMapper.ToProto(payload.Cancellation),
            },
        };
    }

    /// <summary>The cursor of the last notice handed to the transport.</summary>
    private sealed class WrittenCursor(long value)
    {
        public long Value { get; set; } = value;
    }
}
