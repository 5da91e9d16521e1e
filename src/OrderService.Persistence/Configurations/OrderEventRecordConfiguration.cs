using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderService.Persistence.Configurations;

internal sealed class OrderEventRecordConfiguration : IEntityTypeConfiguration<OrderEventRecord>
{
    public void Configure(EntityTypeBuilder<OrderEventRecord> orderEvent)
    {
        orderEvent.ToTable("order_events");
        orderEvent.HasKey(e => e.Id);
        orderEvent.Property(e => e.Id).ValueGeneratedOnAdd();
        orderEvent.HasIndex(e => e.EventId).IsUnique();
        orderEvent.Property(e => e.OrderId).HasMaxLength(64);
        orderEvent.Property(e => e.SellerId).HasMaxLength(64);
        orderEvent.Property(e => e.BuyerId).HasMaxLength(64);
        orderEvent.Property(e => e.Type).HasMaxLength(48);
        // A subscriber reads "my events after cursor N".
        orderEvent.HasIndex(e => new { e.SellerId, e.Id });
        orderEvent.HasIndex(e => new { e.BuyerId, e.Id });
        orderEvent.HasIndex(e => e.OrderId);
        orderEvent.HasIndex(e => e.OccurredAt);
    }
}
