using System.Collections.Concurrent;
using Grpc.Core;
using OrderService.Contracts.V1;

namespace OrderService.Client.Tests;

/// <summary>An application consuming a <see cref="ResumableSubscription"/> on its own task:
/// what it was handed, and how often the subscription reconnected.</summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly ConcurrentQueue<Notification> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _consuming;
    private int _reconnects;

    public Subscriber(OrderServiceConnection connection, string orderId, ICursorStore store)
    {
        var options = new ResumableSubscriptionOptions { OnReconnect = (_, _) => Interlocked.Increment(ref _reconnects) };
        var subscription = new ResumableSubscription(connection.Notifications, new SubscribeRequest { OrderIds = { orderId } }, store, options);
        _consuming = Task.Run(async () =>
        {
            await foreach (var notice in subscription.WithCancellation(_stop.Token))
            {
                _received.Enqueue(notice);
            }
        });
    }

    public IReadOnlyList<Notification> Received => [.. _received];

    public IReadOnlyList<NotificationType> Types => [.. _received.Select(n => n.Type)];

    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Waits up to 30 s for <paramref name="count"/> notices; fails with what came.</summary>
    public async Task WaitFor(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            if (_consuming.IsFaulted)
            {
                await _consuming;
            }

            await Task.Delay(50);
        }

        Assert.True(_received.Count >= count, $"expected {count} notices, got: {string.Join(", ", Types)}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _consuming;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>Waits up to 30 s for <paramref name="condition"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "timed out waiting for " + what);
    }
}

/// <summary>A cursor store that stops writing after <see cref="Freeze"/>: an application that
/// crashed before its last saves reached the disk. Resuming from it makes the server replay
/// notices the application already had.</summary>
public sealed class ForgetfulCursorStore : ICursorStore
{
    private readonly MemoryCursorStore _inner = new();
    private volatile bool _frozen;

    public string? Cursor => _inner.Cursor;

    public void Freeze() => _frozen = true;

    public ValueTask<string?> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

    public ValueTask SaveAsync(string cursor, CancellationToken cancellationToken) =>
        _frozen ? ValueTask.CompletedTask : _inner.SaveAsync(cursor, cancellationToken);
}
