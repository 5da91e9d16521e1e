using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderService.Persistence.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        // The primary key is what makes two concurrent requests with one request_id
        // impossible to both commit.
        record.HasKey(r => new { r.CallerKey, r.RequestId });
        record.Property(r => r.CallerKey).HasMaxLength(140);
        record.Property(r => r.RequestId).HasMaxLength(64);
        record.Property(r => r.Method).HasMaxLength(200);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.HasIndex(r => r.CreatedAt);
    }
}
