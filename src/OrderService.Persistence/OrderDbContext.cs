using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>The unit of work: one SaveChanges is one transaction that holds the order
/// change, its event rows and the idempotency record together.</summary>
public sealed class OrderDbContext(DbContextOptions<OrderDbContext> options, EventLogSignal? eventLogSignal = null)
    : DbContext(options)
{
    /// <summary>The PostgreSQL channel instances LISTEN on to hear of new events.</summary>
    public const string EventChannel = "order_events";

    /// <summary>Key of the lock that makes event ids commit in id order (see
    /// <see cref="SaveWithEventsAsync"/>).</summary>
    private const long EventAppendLockKey = 0x4f72_6465_7245_7674; // "OrderEvt"

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderEventRecord> OrderEvents => Set<OrderEventRecord>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<EventLogState> EventLogState => Set<EventLogState>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: the service never blocks a thread on the database.");

    /// <summary>Appends the pending events of every changed order to the event log, then
    /// saves everything in one transaction (publish only what commits).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changedOrders = ChangeTracker.Entries<Order>()
            .Select(entry => entry.Entity)
            .Where(order => order.PendingEvents.Count > 0)
            .ToList();
        foreach (var order in changedOrders)
        {
            foreach (var orderEvent in order.PendingEvents)
            {
                OrderEvents.Add(new OrderEventRecord
                {
                    EventId = Guid.CreateVersion7(orderEvent.OccurredAt),
                    OrderId = order.Id,
                    SellerId = order.SellerId,
                    BuyerId = order.BuyerId,
                    Type = orderEvent.Type.ToString(),
                    OccurredAt = orderEvent.OccurredAt,
                    OrderVersion = order.Version,
                    Payload = OrderEventPayload.Of(order, orderEvent).ToJson(),
                });
            }
        }

        var written = changedOrders.Count == 0
            ? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : await SaveWithEventsAsync(acceptAllChangesOnSuccess, cancellationToken);
        foreach (var order in changedOrders)
        {
            order.ClearPendingEvents();
        }

        if (changedOrders.Count > 0)
        {
            eventLogSignal?.Notify(); // committed: wake this process's streams
        }

        return written;
    }

    /// <summary>A subscriber resumes "after cursor N", so an event id must never become
    /// visible after a higher one: ids must commit in id order. A database sequence does
    /// not guarantee that under concurrent transactions, so on PostgreSQL and SQL Server
    /// appends take a transaction-scoped lock, held from before the ids are drawn until
    /// the commit. SQLite has a single writer and needs none. On PostgreSQL the same
    /// transaction NOTIFYs the other instances, which PostgreSQL delivers only on commit.</summary>
    private async Task<int> SaveWithEventsAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var isNpgsql = Database.IsNpgsql();
        var isSqlServer = Database.IsSqlServer();
        if ((!isNpgsql && !isSqlServer) || Database.CurrentTransaction is not null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        if (isNpgsql)
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({EventAppendLockKey})", cancellationToken);
        }
        else
        {
            await Database.ExecuteSqlRawAsync(
                "EXEC sp_getapplock @Resource = 'order_events', @LockMode = 'Exclusive', @LockOwner = 'Transaction'",
                cancellationToken);
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        if (isNpgsql)
        {
            await Database.ExecuteSqlRawAsync($"NOTIFY {EventChannel}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (acceptAllChangesOnSuccess)
        {
            ChangeTracker.AcceptAllChanges();
        }

        return written;
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
