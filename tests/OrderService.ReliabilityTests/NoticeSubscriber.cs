using System.Collections.Concurrent;
using OrderService.Client;
using OrderService.Contracts.V1;

namespace OrderService.ReliabilityTests;

/// <summary>A subscriber application: a <see cref="ResumableSubscription"/> on its own task
/// over its own connection, storing its place in a cursor file. The tests stop it when they
/// kill the server (it dies with it) and start a new one from the same file after the restart:
/// a subscriber resuming from its last stored cursor.</summary>
public sealed class NoticeSubscriber : IAsyncDisposable
{
    private readonly ConcurrentQueue<Notification> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly OrderServiceConnection _connection;
    private readonly Task _consuming;
    private long _heartbeats;

    public NoticeSubscriber(CrashServer server, string sellerId, SubscribeRequest request, ICursorStore store)
    {
        _connection = server.Helpful("seller", sellerId);
        var options = new ResumableSubscriptionOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(1),
            RememberedNotificationIds = 100_000,
            OnHeartbeat = _ => Interlocked.Increment(ref _heartbeats),
        };
        var subscription = new ResumableSubscription(_connection.Notifications, request, store, options);
        _consuming = Task.Run(async () =>
        {
            await foreach (var notice in subscription.WithCancellation(_stop.Token))
            {
                _received.Enqueue(notice);
            }
        });
    }

    public IReadOnlyList<Notification> Received => [.. _received];

    public int Count => _received.Count;

    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="timeout"/>;
    /// fails with <paramref name="what"/> otherwise, or at once when the subscription failed.</summary>
    public async Task Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_consuming.IsFaulted)
            {
                await _consuming; // the subscription's own failure
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds:N0} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for a heartbeat that comes after now: the stream had nothing more to send
    /// for a heartbeat interval, so a notice that was still to come would have come.</summary>
    public async Task QuietAsync(TimeSpan timeout)
    {
        var seen = Heartbeats;
        await Until(() => Heartbeats > seen + 1, timeout, "two heartbeats (a quiet stream)");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _consuming.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _connection.Dispose();
        _stop.Dispose();
    }
}

/// <summary>A cursor file written every <c>every</c>-th save (and the first, the start
/// cursor): an application that checkpoints its place in batches, as most do. Resuming from
/// it after a crash makes the server send again up to <c>every</c> - 1 notices the
/// application already had, which it must drop by notification_id.</summary>
public sealed class CheckpointingCursorStore(string path, int every) : ICursorStore
{
    private readonly FileCursorStore _file = new(path);
    private int _saves;

    public ValueTask<string?> LoadAsync(CancellationToken cancellationToken) => _file.LoadAsync(cancellationToken);

    public ValueTask SaveAsync(string cursor, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _saves) % every == 1 || every == 1 || !File.Exists(_file.Path)
            ? _file.SaveAsync(cursor, cancellationToken)
            : ValueTask.CompletedTask;

    public bool HasCursor => File.Exists(_file.Path);
}
