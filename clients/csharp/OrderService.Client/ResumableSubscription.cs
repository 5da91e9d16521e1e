using Grpc.Core;
using OrderService.Contracts.V1;

namespace OrderService.Client;

/// <summary>The notice stream as the application wants it: every notice once, in order,
/// across reconnects and server restarts (clients/README.md, "The resumable subscriber").
/// <code>
/// var notices = new ResumableSubscription(connection.Notifications, new SubscribeRequest(),
///     new FileCursorStore("seller.cursor"));
/// await foreach (var notice in notices.WithCancellation(stopping))
/// {
///     Handle(notice);   // its cursor is stored when the loop asks for the next one
/// }
/// </code>
/// It subscribes with resume_after = the stored cursor, stores the start cursor from the
/// response headers when it has none, stores each notice's cursor once the application has
/// processed it (when the loop asks for the next notice) and each heartbeat's, skips a
/// notification_id it already handed over, and reconnects after a backoff when the stream
/// ends or fails with UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, INTERNAL from a
/// reset stream (not the server's own INTERNAL, which has an ErrorInfo) or a CANCELLED the
/// application did not ask for. Any other status (OUT_OF_RANGE,
/// UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT) is thrown as the RpcException, whose
/// <see cref="RpcExceptionDetails.Details"/> say where to go on (oldest_resume_after,
/// newest_cursor).</summary>
public sealed class ResumableSubscription(
    NotificationService.NotificationServiceClient client,
    SubscribeRequest request,
    ICursorStore store,
    ResumableSubscriptionOptions? options = null) : IAsyncEnumerable<Notification>
{
    /// <summary>The response header that carries the cursor a stream starts after.</summary>
    public const string StartCursorHeader = "orderservice-start-cursor";

    private readonly ResumableSubscriptionOptions _options = options ?? new ResumableSubscriptionOptions();

    public async IAsyncEnumerator<Notification> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var handedOver = new RecentIds(_options.RememberedNotificationIds);
        var backoff = _options.InitialBackoff;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var resumeAfter = await store.LoadAsync(cancellationToken);
            var attempt = request.Clone();
            attempt.ResumeAfter = resumeAfter ?? "";
            var call = client.Subscribe(attempt, cancellationToken: cancellationToken);
            RpcException? failure = null;
            try
            {
                var headers = await call.ResponseHeadersAsync;
                if (resumeAfter is null && headers.GetValue(StartCursorHeader) is { Length: > 0 } start)
                {
                    await store.SaveAsync(start, cancellationToken);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                // The application stopped: a cancellation, not a failure of the call.
                call.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException e) when (Reconnects(e, cancellationToken))
            {
                failure = e;
            }

            using (call)
            {
                while (failure is null)
                {
                    SubscribeResponse message;
                    try
                    {
                        if (!await call.ResponseStream.MoveNext(cancellationToken))
                        {
                            break;
                        }

                        message = call.ResponseStream.Current;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellationToken);
                    }
                    catch (RpcException e) when (Reconnects(e, cancellationToken))
                    {
                        failure = e;
                        break;
                    }

                    backoff = _options.InitialBackoff;
                    if (message.KindCase == SubscribeResponse.KindOneofCase.Heartbeat)
                    {
                        await store.SaveAsync(message.Heartbeat.Cursor, cancellationToken);
                        _options.OnHeartbeat?.Invoke(message.Heartbeat);
                        continue;
                    }

                    var notice = message.Notification;
                    if (handedOver.Add(notice.NotificationId))
                    {
                        yield return notice;
                    }

                    // Reached when the application asks for the next notice: this one is processed.
                    await store.SaveAsync(notice.Cursor, cancellationToken);
                }
            }

            var delay = _options.Jittered(backoff);
            _options.OnReconnect?.Invoke(failure, delay);
            await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private static bool Reconnects(RpcException e, CancellationToken cancellationToken) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded => true,
        // A reset stream, not the server's own INTERNAL (which carries an ErrorInfo with an
        // incident id): a server fault is reported, never retried forever.
        StatusCode.Internal => e.Details().ErrorInfo is null,
        StatusCode.Cancelled => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The last N notification ids handed over: a replay after a reconnect (at least
    /// once on the wire) reaches the application once.</summary>
    private sealed class RecentIds(int capacity)
    {
        private readonly HashSet<string> _ids = [];
        private readonly Queue<string> _order = new();

        public bool Add(string id)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}

/// <summary>How a <see cref="ResumableSubscription"/> reconnects.</summary>
public sealed class ResumableSubscriptionOptions
{
    /// <summary>The first wait before reconnecting; doubles per failed attempt, back to this
    /// once a message arrives.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many notification ids are remembered for de-duplication.</summary>
    public int RememberedNotificationIds { get; init; } = 10_000;

    /// <summary>Called before each reconnect with the failure (null when the stream ended
    /// cleanly) and the wait: for logs and metrics.</summary>
    public Action<RpcException?, TimeSpan>? OnReconnect { get; init; }

    /// <summary>Called after each heartbeat's cursor is stored: the stream is caught up with
    /// the log (orderctl subscribe without --follow stops there).</summary>
    public Action<Heartbeat>? OnHeartbeat { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Between half and all of <paramref name="backoff"/>, so that a thousand
    /// subscribers of a restarted server do not reconnect in the same instant.</summary>
    internal TimeSpan Jittered(TimeSpan backoff) =>
        TimeSpan.FromTicks(backoff.Ticks / 2 + Random.Shared.NextInt64(backoff.Ticks / 2 + 1));
}
