using System.Collections.Concurrent;
using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;

namespace OrderService.ReliabilityTests;

/// <summary>One Subscribe stream as the server sends it: no resuming and no de-duplication,
/// so that a notice sent twice or out of order is seen as it was sent. For runs in which no
/// server stops.</summary>
public sealed class RawStream : IAsyncDisposable
{
    private readonly ConcurrentQueue<Notification> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly OrderServiceConnection _connection;
    private readonly Task _reading;
    private long _heartbeats;

    public RawStream(CrashServer server, string sellerId, SubscribeRequest request)
    {
        _connection = server.Raw("seller", sellerId);
        _reading = Task.Run(async () =>
        {
            using var call = _connection.Notifications.Subscribe(request, cancellationToken: _stop.Token);
            await foreach (var response in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                if (response.KindCase == SubscribeResponse.KindOneofCase.Notification)
                {
                    _received.Enqueue(response.Notification);
                }
                else
                {
                    Interlocked.Increment(ref _heartbeats);
                }
            }

            throw new InvalidOperationException("the server ended the stream");
        });
    }

    public IReadOnlyList<Notification> Received => [.. _received];

    public int Count => _received.Count;

    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="timeout"/>;
    /// fails with <paramref name="what"/> otherwise, or at once when the stream failed.</summary>
    public async Task Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_reading.IsCompleted)
            {
                await _reading; // the stream's own failure
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds:N0} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Two heartbeats after now: the stream had nothing more to send.</summary>
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
            await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ended by the cancellation above: the end this disposal asks for.
        }
        catch (Exception)
        {
            // Ended otherwise before the disposal: a test that cared has seen it through
            // Until; disposing the other streams and the test's own failure matter more here.
        }

        _connection.Dispose();
        _stop.Dispose();
    }
}
