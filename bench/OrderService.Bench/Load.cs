using System.Diagnostics;
using Grpc.Core;

namespace OrderService.Bench;

/// <summary>The next call to make, or null when there is nothing left to call (a pool of
/// orders used up). Building the request happens here, outside the timed part.</summary>
public delegate Func<CancellationToken, Task>? NextCall();

/// <summary>What one load run measured.</summary>
public sealed class RunResult
{
    /// <summary>Calls completed (answered, whatever the status).</summary>
    public int Calls { get; init; }

    /// <summary>Calls answered with the expected status.</summary>
    public int Ok { get; init; }

    /// <summary>Calls scheduled by an open loop but not sent because too many were already
    /// in flight (the server fell behind).</summary>
    public int NotSent { get; init; }

    /// <summary>Unexpected answers by status code.</summary>
    public IReadOnlyDictionary<string, int> Errors { get; init; } = new Dictionary<string, int>();

    /// <summary>From the first call sent to the last answer.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Latency of every call answered with the expected status, in milliseconds,
    /// sorted.</summary>
    public double[] Latencies { get; init; } = [];

    /// <summary>The pool of orders ran out before the time did.</summary>
    public bool Exhausted { get; init; }

    public double Rate => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;

    public double Percentile(double p) => Percentile(Latencies, p);

    /// <summary>Nearest rank on sorted values; NaN when empty.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Closed-loop (saturation) and open-loop (fixed rate) drivers. Both are bounded in
/// count and time: they stop sending at the end of the duration or when the count is
/// reached, then wait for the calls in flight, each of which carries its own deadline.</summary>
public static class Load
{
    /// <summary><paramref name="concurrency"/> callers, each sending its next call as soon as
    /// the previous one is answered, for <paramref name="duration"/> or
    /// <paramref name="maxCalls"/> calls. <paramref name="expected"/> is a status that counts as
    /// success besides OK (B0's NOT_FOUND).</summary>
    public static async Task<RunResult> ClosedLoopAsync(
        int concurrency, TimeSpan duration, int maxCalls, NextCall next, CancellationToken cancellationToken, StatusCode? expected = null)
    {
        var started = Stopwatch.GetTimestamp();
        var issued = 0;
        var exhausted = false;
        var recorders = new Recorder[concurrency];
        async Task Caller(Recorder recorder)
        {
            while (!cancellationToken.IsCancellationRequested
                && Stopwatch.GetElapsedTime(started) < duration
                && Interlocked.Increment(ref issued) <= maxCalls)
            {
                var call = next();
                if (call is null)
                {
                    exhausted = true;
                    return;
                }

                await recorder.TimeAsync(call, Stopwatch.GetTimestamp(), expected, cancellationToken);
            }
        }

        var callers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var recorder = recorders[i] = new Recorder();
            callers[i] = Task.Run(() => Caller(recorder), CancellationToken.None);
        }

        await Task.WhenAll(callers);
        cancellationToken.ThrowIfCancellationRequested();
        return Recorder.Merge(recorders, Stopwatch.GetElapsedTime(started), 0, exhausted);
    }

    /// <summary>Calls sent at a fixed rate, by the clock, whatever the answers (open loop),
    /// for <paramref name="duration"/>. A call is not sent, and counted as such, when
    /// <paramref name="maxInFlight"/> calls are already waiting for an answer. Latency runs
    /// from the moment the call is sent.</summary>
    public static async Task<RunResult> OpenLoopAsync(
        double ratePerSecond, TimeSpan duration, int maxInFlight, NextCall next, CancellationToken cancellationToken)
    {
        var recorder = new Recorder();
        var started = Stopwatch.GetTimestamp();
        var interval = 1.0 / ratePerSecond;
        var inFlight = 0;
        var notSent = 0;
        var exhausted = false;
        var calls = new List<Task>();
        var total = (long)Math.Floor(duration.TotalSeconds * ratePerSecond);
        for (long k = 0; k < total && !cancellationToken.IsCancellationRequested;)
        {
            var now = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var due = k * interval;
            if (now < due)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.001, due - now)), cancellationToken);
                continue;
            }

            k++;
            if (Volatile.Read(ref inFlight) >= maxInFlight)
            {
                notSent++;
                continue;
            }

            var call = next();
            if (call is null)
            {
                exhausted = true;
                break;
            }

            Interlocked.Increment(ref inFlight);
            calls.Add(Task.Run(async () =>
            {
                try
                {
                    await recorder.TimeAsync(call, Stopwatch.GetTimestamp(), null, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(calls);
        cancellationToken.ThrowIfCancellationRequested();
        return Recorder.Merge([recorder], Stopwatch.GetElapsedTime(started), notSent, exhausted);
    }

    /// <summary>Latencies and errors of one caller (or of one open loop, under a lock).</summary>
    private sealed class Recorder
    {
        private readonly List<double> _latencies = [];
        private readonly Dictionary<string, int> _errors = [];
        private int _calls;

        public async Task TimeAsync(Func<CancellationToken, Task> call, long sentAt, StatusCode? expected, CancellationToken cancellationToken)
        {
            string? error = null;
            try
            {
                await call(cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == expected)
            {
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                error = e.StatusCode.ToString();
            }

            var milliseconds = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
            lock (this)
            {
                _calls++;
                if (error is null)
                {
                    _latencies.Add(milliseconds);
                }
                else
                {
                    _errors[error] = _errors.GetValueOrDefault(error) + 1;
                }
            }
        }

        public static RunResult Merge(IEnumerable<Recorder> recorders, TimeSpan elapsed, int notSent, bool exhausted)
        {
            var latencies = new List<double>();
            var errors = new Dictionary<string, int>();
            var calls = 0;
            foreach (var recorder in recorders)
            {
                latencies.AddRange(recorder._latencies);
                calls += recorder._calls;
                foreach (var (code, count) in recorder._errors)
                {
                    errors[code] = errors.GetValueOrDefault(code) + count;
                }
            }

            var sorted = latencies.ToArray();
            Array.Sort(sorted);
            return new RunResult
            {
                Calls = calls,
                Ok = sorted.Length,
                NotSent = notSent,
                Errors = errors,
                Elapsed = elapsed,
                Latencies = sorted,
                Exhausted = exhausted,
            };
        }
    }
}
