using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderService.Domain;

namespace OrderService.Persistence.Configurations;

/// <summary>Maps the order aggregate: the order row, its owned items (with their unit
/// charges), shipments (with their lines) and value objects.</summary>
internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    private const int IdLength = 64;

    public void Configure(EntityTypeBuilder<Order> order)
    {
        order.ToTable("orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.Id).HasMaxLength(IdLength);
        order.Property(o => o.SellerId).HasMaxLength(IdLength);
        order.Property(o => o.BuyerId).HasMaxLength(IdLength);
        order.Property(o => o.CurrencyCode).HasMaxLength(3);
        order.Property(o => o.Version).IsConcurrencyToken();
        order.Ignore(o => o.PendingEvents);
        order.Ignore(o => o.AutoCancelAt);
        order.Ignore(o => o.HasCountedCancellation);
        // Derived from the cancellation acts below: one record of every cancellation.
        order.Ignore(o => o.Cancellation);

        // The stored view GetOrder and ListOrders answer from (see IOrderViewRenderer).
        order.Property<byte[]?>(IOrderViewRenderer.ViewColumn);
        order.Property<int>(IOrderViewRenderer.ViewFormatColumn).HasDefaultValue(0);
        order.Property<int>(IOrderViewRenderer.ViewVersionColumn).HasDefaultValue(0);

        // The listing queries: by owner, newest purchase first.
        order.HasIndex(o => new { o.SellerId, o.PurchasedAt });
        order.HasIndex(o => new { o.BuyerId, o.PurchasedAt });
        order.HasIndex(o => o.PurchasedAt);
        // The automatic cancellation passes (R4, R5).
        order.HasIndex(o => new { o.Status, o.LatestShipDate });
        order.HasIndex(o => new { o.Status, o.PurchasedAt });

        order.OwnsOne(o => o.ShippingAddress, address =>
        {
            address.Property(a => a.RecipientName).HasColumnName("ship_recipient_name").HasMaxLength(200);
            address.Property(a => a.Line1).HasColumnName("ship_line1").HasMaxLength(200);
            address.Property(a => a.Line2).HasColumnName("ship_line2").HasMaxLength(200);
            address.Property(a => a.Line3).HasColumnName("ship_line3").HasMaxLength(200);
            address.Property(a => a.Locality).HasColumnName("ship_locality").HasMaxLength(200);
            address.Property(a => a.AdministrativeArea).HasColumnName("ship_administrative_area").HasMaxLength(200);
            address.Property(a => a.PostalCode).HasColumnName("ship_postal_code").HasMaxLength(32);
            address.Property(a => a.RegionCode).HasColumnName("ship_region_code").HasMaxLength(2);
            address.Property(a => a.PhoneNumber).HasColumnName("ship_phone_number").HasMaxLength(40);
        });

        order.OwnsOne(o => o.BuyerContact, contact =>
        {
            contact.Property(c => c.Name).HasColumnName("buyer_name").HasMaxLength(200);
            contact.Property(c => c.Email).HasColumnName("buyer_email").HasMaxLength(320);
            contact.Property(c => c.PhoneNumber).HasColumnName("buyer_phone_number").HasMaxLength(40);
        });

        order.OwnsOne(o => o.BuyerCancellationRequest, request =>
        {
            request.Property(r => r.Reason).HasColumnName("buyer_cancel_reason").HasMaxLength(500);
            request.Property(r => r.RequestedAt).HasColumnName("buyer_cancel_requested_at");
        });

        order.OwnsMany(o => o.Items, item =>
        {
            item.ToTable("order_items");
            item.WithOwner().HasForeignKey("OrderId");
            item.Property<string>("OrderId").HasMaxLength(IdLength);
            item.HasKey("OrderId", nameof(OrderItem.Id));
            item.Property(i => i.Id).HasColumnName("OrderItemId").HasMaxLength(IdLength);
            item.Property(i => i.Sku).HasMaxLength(100);
            item.Property(i => i.Title).HasMaxLength(500);
            item.Ignore(i => i.QuantityUnshipped);

            item.OwnsMany(i => i.UnitCharges, charge =>
            {
                // R22 held by the database itself: whatever a code path did before the write,
                // a component is never refunded more than it was charged.
                charge.ToTable("order_item_charges", t => t.HasCheckConstraint("CK_order_item_charges_refunded_within_charged",
                    "\"RefundedMinor\" >= 0 AND \"RefundedMinor\" <= \"ChargedMinor\""));
                charge.WithOwner().HasForeignKey("OrderId", "OrderItemId");
                charge.HasKey("OrderId", "OrderItemId", nameof(UnitCharge.Component));
                // Defaults in the database too: an instance of the build before refunds
                // (during a rolling upgrade) inserts charges without these columns.
                charge.Property(c => c.ChargedMinor).HasDefaultValue(0L);
                charge.Property(c => c.RefundedMinor).HasDefaultValue(0L);
            });
            item.Navigation(i => i.UnitCharges).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        order.Navigation(o => o.Items).UsePropertyAccessMode(PropertyAccessMode.Field);

        order.OwnsMany(o => o.Shipments, shipment =>
        {
            shipment.ToTable("shipments");
            shipment.WithOwner().HasForeignKey("OrderId");
            shipment.Property<string>("OrderId").HasMaxLength(IdLength);
            shipment.HasKey("OrderId", nameof(Shipment.Id));
            shipment.Property(s => s.Id).HasColumnName("ShipmentId").HasMaxLength(IdLength);
            shipment.Property(s => s.Carrier).HasMaxLength(100);
            shipment.Property(s => s.TrackingNumber).HasMaxLength(100);

            shipment.OwnsMany(s => s.Lines, line =>
            {
                line.ToTable("shipment_lines");
                line.WithOwner().HasForeignKey("OrderId", "ShipmentId");
                line.Property(l => l.OrderItemId).HasMaxLength(IdLength);
                line.HasKey("OrderId", "ShipmentId", nameof(ShipmentLine.OrderItemId));
            });
            shipment.Navigation(s => s.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        order.Navigation(o => o.Shipments).UsePropertyAccessMode(PropertyAccessMode.Field);

        // Every cancellation act (R18): what the seller's rate (R17) is computed from.
        order.OwnsMany(o => o.Cancellations, cancellation =>
        {
            cancellation.ToTable("order_cancellations");
            cancellation.WithOwner().HasForeignKey("OrderId");
            cancellation.Property<string>("OrderId").HasMaxLength(IdLength);
            cancellation.HasKey("OrderId", nameof(CancellationAct.Id));
            cancellation.Property(c => c.Id).HasColumnName("CancellationId").HasMaxLength(IdLength);
            cancellation.Property(c => c.Note).HasMaxLength(1000);
            // The seller's rate (R17) reads the seller's counting cancellations in its window
            // from here alone, whatever the size of the seller's history. The seller id is the
            // order's, copied by OrderDbContext when the act is added.
            cancellation.Property<string>(OrderDbContext.CancellationSellerId).HasMaxLength(IdLength).IsRequired().HasDefaultValue("");
            cancellation.HasIndex(OrderDbContext.CancellationSellerId, nameof(CancellationAct.CountsAgainstSellerRate), nameof(CancellationAct.CanceledAt));

            cancellation.OwnsMany(c => c.Lines, line =>
            {
                line.ToTable("order_cancellation_lines");
                line.WithOwner().HasForeignKey("OrderId", "CancellationId");
                line.Property(l => l.OrderItemId).HasMaxLength(IdLength);
                line.HasKey("OrderId", "CancellationId", nameof(CancellationLine.OrderItemId));
            });
            cancellation.Navigation(c => c.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        order.Navigation(o => o.Cancellations).UsePropertyAccessMode(PropertyAccessMode.Field);

        // Every refund (R20, R23): written once, never changed.
        order.OwnsMany(o => o.Refunds, refund =>
        {
            refund.ToTable("order_refunds");
            refund.WithOwner().HasForeignKey("OrderId");
            refund.Property<string>("OrderId").HasMaxLength(IdLength);
            refund.HasKey("OrderId", nameof(Refund.Id));
            refund.Property(r => r.Id).HasColumnName("RefundId").HasMaxLength(IdLength);
            refund.Property(r => r.CurrencyCode).HasMaxLength(3);
            refund.Ignore(r => r.Lines);
            refund.Ignore(r => r.Total);
            refund.Property<List<RefundLine>>("_lines").HasColumnName("Lines")
                .HasConversion(RefundLinesJson.Converter, RefundLinesJson.Comparer);
            // ListRefunds reads a seller's or a buyer's refunds newest first from here alone;
            // the ids are the order's, copied by OrderDbContext when the refund is added.
            refund.Property<string>(OrderDbContext.RefundSellerId).HasMaxLength(IdLength).IsRequired().HasDefaultValue("");
            refund.Property<string>(OrderDbContext.RefundBuyerId).HasMaxLength(IdLength).IsRequired().HasDefaultValue("");
            refund.HasIndex(OrderDbContext.RefundSellerId, nameof(Refund.RefundedAt));
            refund.HasIndex(OrderDbContext.RefundBuyerId, nameof(Refund.RefundedAt));
        });
        order.Navigation(o => o.Refunds).UsePropertyAccessMode(PropertyAccessMode.Field);

        // The carrier bringing a shipped package back (R42, R43), on the order's row.
        order.OwnsOne(o => o.CarrierReturn, carrierReturn =>
        {
            carrierReturn.Property(r => r.Cause).HasColumnName("carrier_return_cause");
            carrierReturn.Property(r => r.Note).HasColumnName("carrier_return_note").HasMaxLength(1000);
            carrierReturn.Property(r => r.RequestedAt).HasColumnName("carrier_return_requested_at");
            carrierReturn.Property(r => r.ReceivedAt).HasColumnName("carrier_return_received_at");
            carrierReturn.Property(r => r.RefundId).HasColumnName("carrier_return_refund_id").HasMaxLength(IdLength);
            carrierReturn.Ignore(r => r.InProgress);
        });
    }
}
