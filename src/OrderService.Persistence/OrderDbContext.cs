using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>The unit of work: one SaveChanges is one transaction that holds the order
/// change, its event rows and the idempotency record together.</summary>
public sealed class OrderDbContext(DbContextOptions<OrderDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderEventRecord> OrderEvents => Set<OrderEventRecord>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

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

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        foreach (var order in changedOrders)
        {
            order.ClearPendingEvents();
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
