using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderService.Persistence.Configurations;

internal sealed class EventLogStateConfiguration : IEntityTypeConfiguration<EventLogState>
{
    public void Configure(EntityTypeBuilder<EventLogState> state)
    {
        state.ToTable("event_log_state");
        state.HasKey(s => s.Id);
        state.Property(s => s.Id).ValueGeneratedNever();
        state.HasData(new EventLogState { Id = EventLogState.SingletonId, PrunedThroughId = 0 });
    }
}
