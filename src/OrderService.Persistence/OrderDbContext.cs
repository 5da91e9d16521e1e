using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>The unit of work: one SaveChanges is one transaction that holds the order
/// change, its event rows and the idempotency record together.</summary>
public sealed class OrderDbContext : DbContext
{
    private EventLogSignal? eventLogSignal;
    private IOrderViewRenderer? orderViews;
    private ICommittedEventsObserver? committedEvents;

    /// <summary>The one constructor, as the context pool needs it; <see cref="Use"/>
    /// supplies the process's services.</summary>
    public OrderDbContext(DbContextOptions<OrderDbContext> options)
        : base(options)
    {
    }

    /// <summary>Gives a pooled context the process's singletons (the same for every lease).</summary>
    public OrderDbContext Use(EventLogSignal? signal, IOrderViewRenderer? views, ICommittedEventsObserver? observer = null)
    {
        eventLogSignal = signal;
        orderViews = views;
        committedEvents = observer;
        return this;
    }

    /// <summary>The PostgreSQL channel instances LISTEN on to hear of new events.</summary>
    public const string EventChannel = "order_events";

    /// <summary>Key of the lock that fences the event log's horizon (see
    /// <see cref="SaveWithOrderedEventsAsync"/>).</summary>
    public const long EventAppendLockKey = 0x4f72_6465_7245_7674; // "OrderEvt"

    /// <summary>One turn per SQLite database (by connection string) for the writers of this
    /// process.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> SqliteWriters = new();

    /// <summary>The column of <c>order_cancellations</c> that holds the order's seller.</summary>
    public const string CancellationSellerId = "SellerId";

    /// <summary>The columns of <c>order_refunds</c> that hold the order's seller and buyer.</summary>
    public const string RefundSellerId = "SellerId";

    public const string RefundBuyerId = "BuyerId";

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderEventRecord> OrderEvents => Set<OrderEventRecord>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<EventLogState> EventLogState => Set<EventLogState>();

    /// <summary>Whether an aggregate is best loaded in one statement joining its collections
    /// (PostgreSQL, SQL Server: planned once when prepared, consistent by itself) rather than
    /// one statement per table on a snapshot (SQLite, which would materialize whole tables for
    /// the joined form).</summary>
    public bool LoadsAggregatesInOneStatement => !Database.IsSqlite();

    /// <summary>Runs <paramref name="read"/>, which may take several statements (an aggregate
    /// loaded by split queries: the order, then its items, its shipments...), on one snapshot
    /// of the database, so that a change committed meanwhile is seen by all of them or by
    /// none. Each statement stays a simple, index-backed query, where one statement joining
    /// every collection makes SQLite materialize whole tables. The snapshot is a deferred
    /// read transaction on SQLite (WAL: it never blocks the writer) and a REPEATABLE READ one
    /// on PostgreSQL and SQL Server; it ends before anything is saved, so a save still finds
    /// a concurrent change through the order's version. Inside a transaction of the caller's,
    /// it simply reads.</summary>
    public async Task<T> ReadConsistentlyAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return await read(cancellationToken);
        }

        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = Database.IsSqlite()
                ? await Database.UseTransactionAsync(
                    ((SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: true), cancellationToken)
                : await Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var result = await read(cancellationToken);
            await transaction!.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>Where the event log stands: its horizon (every event at or below it is
    /// committed, and no event will ever appear below it; past the newest event, how far
    /// retention pruned when it deleted everything) and its retention watermark. The newest
    /// id visible is the horizon once the writers in flight have ended: on SQLite there is
    /// one writer at a time, elsewhere <see cref="FenceInFlightWritersAsync"/> waits for
    /// them (see <see cref="SaveWithOrderedEventsAsync"/>).</summary>
    public async Task<EventLogPosition> EventLogPositionAsync(CancellationToken cancellationToken)
    {
        var position = await EventLogState.AsNoTracking()
            .Where(s => s.Id == Persistence.EventLogState.SingletonId)
            .Select(s => new { s.PrunedThroughId, NewestEvent = OrderEvents.Max(e => (long?)e.Id) })
            .FirstOrDefaultAsync(cancellationToken);
        if (Database.IsNpgsql() || Database.IsSqlServer())
        {
            await FenceInFlightWritersAsync(cancellationToken);
        }

        var pruned = position?.PrunedThroughId ?? 0;
        return new EventLogPosition(Math.Max(position?.NewestEvent ?? 0, pruned), pruned);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: the service never blocks a thread on the database.");

    /// <summary>Saves the changes and appends the pending events of every changed order to
    /// the event log, in one transaction (publish only what commits).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RenderViews();
        var changedOrders = ChangeTracker.Entries<Order>()
            .Select(entry => entry.Entity)
            .Where(order => order.PendingEvents.Count > 0)
            .ToList();
        foreach (var order in ChangeTracker.Entries<Order>().Select(entry => entry.Entity))
        {
            foreach (var act in order.Cancellations)
            {
                var entry = Entry(act);
                if (entry.State == EntityState.Added)
                {
                    entry.Property<string>(CancellationSellerId).CurrentValue = order.SellerId;
                }
            }

            foreach (var refund in order.Refunds)
            {
                var entry = Entry(refund);
                if (entry.State == EntityState.Added)
                {
                    entry.Property<string>(RefundSellerId).CurrentValue = order.SellerId;
                    entry.Property<string>(RefundBuyerId).CurrentValue = order.BuyerId;
                }
            }
        }

        if (changedOrders.Count == 0)
        {
            return Database.IsSqlite()
                ? await SaveAsSqliteWriterAsync(acceptAllChangesOnSuccess, cancellationToken)
                : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var written = Database.IsNpgsql() || Database.IsSqlServer()
            ? await SaveWithOrderedEventsAsync(changedOrders, cancellationToken)
            : await SaveWithEventsAsync(changedOrders, acceptAllChangesOnSuccess, cancellationToken);
        foreach (var order in changedOrders)
        {
            if (committedEvents is not null)
            {
                foreach (var orderEvent in order.PendingEvents)
                {
                    committedEvents.Committed(order, orderEvent);
                }
            }

            order.ClearPendingEvents();
        }

        eventLogSignal?.Committed(); // wake this process's tail, and tell the other instances
        return written;
    }

    /// <summary>Renders the stored view of every order being added or changed, so that it is
    /// written in the same transaction as the change (see <see cref="IOrderViewRenderer"/>).
    /// Every change of an order bumps its version, which marks its row modified; the view's
    /// row records that version, and a reader uses a view only when the two agree.</summary>
    public void RenderViews()
    {
        if (orderViews is null)
        {
            return;
        }

        foreach (var entry in ChangeTracker.Entries<Order>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                RenderView(entry.Entity);
            }
        }
    }

    /// <summary>Renders the stored view of a tracked order now, which marks it modified: the
    /// next save writes the view (and finds a concurrent change through the version).</summary>
    public void RenderView(Order order)
    {
        ArgumentNullException.ThrowIfNull(orderViews);
        var entry = Entry(order);
        entry.Property<byte[]?>(IOrderViewRenderer.ViewColumn).CurrentValue = orderViews.Render(order);
        entry.Property<int>(IOrderViewRenderer.ViewFormatColumn).CurrentValue = orderViews.Format;
        entry.Property<int>(IOrderViewRenderer.ViewVersionColumn).CurrentValue = order.Version;
    }

    /// <summary>SQLite: one writer at a time, so ids already commit in order. The writers of
    /// this process take turns in memory (<see cref="SqliteWriters"/>) instead of colliding in
    /// SQLite, whose driver answers "database is busy" by sleeping 150 ms and trying again.</summary>
    private async Task<int> SaveWithEventsAsync(List<Order> changedOrders, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        AppendEvents(changedOrders);
        return await SaveAsSqliteWriterAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private async Task<int> SaveAsSqliteWriterAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var turn = SqliteWriters.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>A subscriber resumes "after cursor N", so an event id must never become
    /// visible below the horizon a reader has passed. A database sequence does not commit in
    /// order under concurrent transactions, so on PostgreSQL and SQL Server every
    /// event-appending transaction holds a shared lock from before its events draw their ids
    /// until it ends; many writers hold it at once and never wait for each other. A reader
    /// fixes the horizon (<see cref="EventLogPositionAsync"/>) by reading the newest id and
    /// then taking the same lock exclusively for an instant: that waits for exactly the
    /// writers still in flight, which are the only ones that could hold an id below it, and
    /// a writer that starts later draws a higher id. The order changes are saved first, so
    /// a concurrency conflict fails before the lock. The other instances are told after the
    /// commit, never inside it (a NOTIFY in the transaction would serialize every commit on
    /// PostgreSQL's notification queue lock). If the transaction fails the context must be
    /// discarded (or its tracker cleared), as every caller here does.</summary>
    private async Task<int> SaveWithOrderedEventsAsync(List<Order> changedOrders, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException(
                "Order changes are saved in a transaction of their own, so that their events are fenced for readers.");
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
        await LockEventLogAsync(exclusive: false, cancellationToken);
        AppendEvents(changedOrders);
        written += await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Waits, on PostgreSQL and SQL Server, until every event-appending transaction
    /// in flight has ended: see <see cref="SaveWithOrderedEventsAsync"/>.</summary>
    private async Task FenceInFlightWritersAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await LockEventLogAsync(exclusive: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Takes the event log's lock until the current transaction ends: shared by
    /// writers, exclusive by a reader fixing the horizon.</summary>
    private Task LockEventLogAsync(bool exclusive, CancellationToken cancellationToken) =>
        Database.IsNpgsql()
            ? exclusive
                ? Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({EventAppendLockKey})", cancellationToken)
                : Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({EventAppendLockKey})", cancellationToken)
            : Database.ExecuteSqlAsync(
                $"DECLARE @result int; EXEC @result = sp_getapplock @Resource = 'order_events', @LockMode = {(exclusive ? "Exclusive" : "Shared")}, @LockOwner = 'Transaction'; IF @result < 0 THROW 51000, 'Could not lock the event log.', 1;",
                cancellationToken);

    private void AppendEvents(List<Order> changedOrders)
    {
        foreach (var order in changedOrders)
        {
            foreach (var orderEvent in order.PendingEvents)
            {
                OrderEvents.Add(OrderEventRecord.Of(order, orderEvent));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants as UTC ticks: SQLite stores DateTimeOffset as text, which neither sorts
        // nor compares correctly; a 64-bit integer does on every provider.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        // Enums by name: readable in SQL and safe against renumbering.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(48);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrderDbContext).Assembly);

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>See <see cref="OrderDbContext.EventLogPositionAsync"/>.</summary>
public sealed record EventLogPosition(long Horizon, long PrunedThrough);
