using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderService.Persistence;

namespace OrderService.Server.Notifications;

/// <summary>The one reader of the event log in this server instance. It follows the log's
/// horizon (every event at or below it is committed, and none will appear below it later)
/// and keeps the newest events in memory, so that every notification stream reads what is
/// new from here instead of querying the database itself: an idle stream costs no database
/// work, and a commit wakes one query, not one per stream. A stream whose cursor is older
/// than what is held here replays from the database up to <see cref="Head"/>, then reads
/// from memory.</summary>
public sealed class EventLogTail(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    ILoggerFactory loggerFactory,
    EventLogSignal signal,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    ILogger<EventLogTail> logger) : BackgroundService
{
    private const int ReadBatchSize = 1000;

    private readonly Lock _gate = new();
    private readonly List<OrderEventRecord> _events = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _start;
    private long _head;
    private long _prunedThrough;
    private DbContextOptions<OrderDbContext>? _readerOptions;

    /// <summary>How far the log has been read: every event up to here is in memory (down to
    /// the oldest held) or was before.</summary>
    public long Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    /// <summary>The retention watermark as last read with the log.</summary>
    public long PrunedThrough
    {
        get
        {
            lock (_gate)
            {
                return _prunedThrough;
            }
        }
    }

    /// <summary>Completes once the first read of the log is done.</summary>
    public Task WhenStartedAsync(CancellationToken cancellationToken) => _started.Task.WaitAsync(cancellationToken);

    /// <summary>Completes at the next read of the log (whether or not it found anything). Take
    /// it before <see cref="Read"/>, so that an advance between the two is never missed.</summary>
    public Task NextAdvanceAsync()
    {
        lock (_gate)
        {
            return _advanced.Task;
        }
    }

    /// <summary>Asks for a read of the log now rather than at the next poll.</summary>
    public void Wake() => signal.Notify();

    /// <summary>The events after <paramref name="cursor"/> that <paramref name="wanted"/>
    /// accepts, oldest first, at most <paramref name="max"/>, and the cursor the reader may
    /// move to (the last event examined, or <see cref="Head"/> when all were). Not covered
    /// when events after the cursor are no longer held: read them from the database.</summary>
    public TailRead Read(long cursor, Func<OrderEventRecord, bool> wanted, int max)
    {
        lock (_gate)
        {
            if (cursor < _start)
            {
                return new TailRead(Covered: false, [], _head);
            }

            var found = new List<OrderEventRecord>();
            for (var i = FirstAfter(cursor); i < _events.Count; i++)
            {
                var record = _events[i];
                if (wanted(record))
                {
                    found.Add(record);
                    if (found.Count == max)
                    {
                        return new TailRead(Covered: true, found, record.Id);
                    }
                }
            }

            return new TailRead(Covered: true, found, Math.Max(cursor, _head));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.NextAsync(); // before reading: a commit after the read still wakes us
            try
            {
                await ReadNewEventsAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.TailReadFailed(exception, backoff);
                await Task.Delay(backoff, clock, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                continue;
            }

            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(wake, Task.Delay(options.Value.PollInterval, clock, idle.Token));
            await idle.CancelAsync();
        }
    }

    /// <summary>On PostgreSQL the tail reads through a small pool of its own (2 connections;
    /// a connection string that differs, here by its Application Name and pool size, is
    /// another Npgsql pool): under a burst of calls that holds every connection of the main
    /// pool, notices keep flowing instead of waiting behind the queued calls. Elsewhere null:
    /// a context of the main pool.</summary>
    private OrderDbContext? OpenOwnReader()
    {
        var provider = DatabaseSetup.ProviderFrom(configuration);
        if (provider != DatabaseProvider.Postgres)
        {
            return null;
        }

        if (_readerOptions is null)
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSetup.ConnectionStringFrom(configuration, provider));
            connection.ApplicationName = string.IsNullOrEmpty(connection.ApplicationName) ? "OrderService event log" : connection.ApplicationName + " (event log)";
            connection.MaxPoolSize = 2;
            connection.MinPoolSize = 0;
            var options = new DbContextOptionsBuilder<OrderDbContext>().UseLoggerFactory(loggerFactory);
            DatabaseSetup.Configure(options, provider, connection.ConnectionString);
            _readerOptions = options.Options;
        }

        return new OrderDbContext(_readerOptions);
    }

    private async Task ReadNewEventsAsync(CancellationToken cancellationToken)
    {
        await using var own = OpenOwnReader();
        await using var scope = own is null ? scopes.CreateAsyncScope() : default(AsyncServiceScope?);
        var db = own ?? scope!.Value.ServiceProvider.GetRequiredService<OrderDbContext>();
        var position = await db.EventLogPositionAsync(cancellationToken);
        var head = Head;
        var first = !_started.Task.IsCompleted;
        if (first || position.PrunedThrough > head)
        {
            // Nothing older is needed in memory: streams behind the horizon replay from
            // the database. (And a tail left behind by retention starts again after it.)
            head = position.Horizon;
        }

        var read = new List<OrderEventRecord>();
        while (head < position.Horizon)
        {
            var from = head;
            var batch = await db.OrderEvents.AsNoTracking()
                .Where(e => e.Id > from && e.Id <= position.Horizon)
                .OrderBy(e => e.Id)
                .Take(ReadBatchSize)
                .ToListAsync(cancellationToken);
            read.AddRange(batch);
            head = batch.Count == ReadBatchSize ? batch[^1].Id : position.Horizon;
        }

        TaskCompletionSource advanced;
        lock (_gate)
        {
            if (first || position.PrunedThrough > _head)
            {
                _events.Clear();
                _start = head;
            }

            _events.AddRange(read);
            _head = head;
            _prunedThrough = position.PrunedThrough;
            Trim();
            advanced = _advanced;
            _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _started.TrySetResult();
        advanced.TrySetResult();
    }

    /// <summary>Keeps at most the configured number of events, dropping the oldest in bulk.</summary>
    private void Trim()
    {
        var capacity = options.Value.TailCapacity;
        if (_events.Count <= capacity + (capacity / 4))
        {
            return;
        }

        var drop = _events.Count - capacity;
        _start = _events[drop - 1].Id;
        _events.RemoveRange(0, drop);
    }

    /// <summary>The index of the first held event after <paramref name="cursor"/>.</summary>
    private int FirstAfter(long cursor)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_events[middle].Id <= cursor)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>What a stream read from the tail: the events it wants, and how far it may move
/// its cursor; not covered when it must read from the database instead.</summary>
public sealed record TailRead(bool Covered, List<OrderEventRecord> Events, long ReadThrough);
