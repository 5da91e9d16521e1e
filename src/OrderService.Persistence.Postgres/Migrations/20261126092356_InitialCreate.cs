using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OrderService.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    CallerKey = table.Column<string>(type: "character varying(140)", maxLength: 140, nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_records", x => new { x.CallerKey, x.RequestId });
                });

            migrationBuilder.CreateTable(
                name: "order_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SellerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BuyerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Type = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    OccurredAt = table.Column<long>(type: "bigint", nullable: false),
                    OrderVersion = table.Column<int>(type: "integer", nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SellerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BuyerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    CurrencyCode = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PurchasedAt = table.Column<long>(type: "bigint", nullable: false),
                    LatestShipDate = table.Column<long>(type: "bigint", nullable: false),
                    PaymentAuthorizedAt = table.Column<long>(type: "bigint", nullable: true),
                    ship_recipient_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_line1 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_line2 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_line3 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_locality = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_administrative_area = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ship_postal_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ship_region_code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    ship_phone_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    buyer_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    buyer_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    buyer_phone_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    buyer_cancel_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    buyer_cancel_requested_at = table.Column<long>(type: "bigint", nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    cancel_requester = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    cancel_executor = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    cancel_counts_against_seller = table.Column<bool>(type: "boolean", nullable: true),
                    canceled_at = table.Column<long>(type: "bigint", nullable: true),
                    cancel_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "order_items",
                columns: table => new
                {
                    OrderItemId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Sku = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    QuantityOrdered = table.Column<int>(type: "integer", nullable: false),
                    QuantityShipped = table.Column<int>(type: "integer", nullable: false),
                    QuantityCanceled = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_items", x => new { x.OrderId, x.OrderItemId });
                    table.ForeignKey(
                        name: "FK_order_items_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "shipments",
                columns: table => new
                {
                    ShipmentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Carrier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TrackingNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ShippedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_shipments", x => new { x.OrderId, x.ShipmentId });
                    table.ForeignKey(
                        name: "FK_shipments_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "order_item_charges",
                columns: table => new
                {
                    Component = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(64)", nullable: false),
                    OrderItemId = table.Column<string>(type: "character varying(64)", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_item_charges", x => new { x.OrderId, x.OrderItemId, x.Component });
                    table.ForeignKey(
                        name: "FK_order_item_charges_order_items_OrderId_OrderItemId",
                        columns: x => new { x.OrderId, x.OrderItemId },
                        principalTable: "order_items",
                        principalColumns: new[] { "OrderId", "OrderItemId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "shipment_lines",
                columns: table => new
                {
                    OrderItemId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(64)", nullable: false),
                    ShipmentId = table.Column<string>(type: "character varying(64)", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_shipment_lines", x => new { x.OrderId, x.ShipmentId, x.OrderItemId });
                    table.ForeignKey(
                        name: "FK_shipment_lines_shipments_OrderId_ShipmentId",
                        columns: x => new { x.OrderId, x.ShipmentId },
                        principalTable: "shipments",
                        principalColumns: new[] { "OrderId", "ShipmentId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_records_CreatedAt",
                table: "idempotency_records",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_order_events_BuyerId_Id",
                table: "order_events",
                columns: new[] { "BuyerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_order_events_EventId",
                table: "order_events",
                column: "EventId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_order_events_OccurredAt",
                table: "order_events",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_order_events_OrderId",
                table: "order_events",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_order_events_SellerId_Id",
                table: "order_events",
                columns: new[] { "SellerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_BuyerId_PurchasedAt",
                table: "orders",
                columns: new[] { "BuyerId", "PurchasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_PurchasedAt",
                table: "orders",
                column: "PurchasedAt");

            migrationBuilder.CreateIndex(
                name: "IX_orders_SellerId_PurchasedAt",
                table: "orders",
                columns: new[] { "SellerId", "PurchasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_LatestShipDate",
                table: "orders",
                columns: new[] { "Status", "LatestShipDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "order_events");

            migrationBuilder.DropTable(
                name: "order_item_charges");

            migrationBuilder.DropTable(
                name: "shipment_lines");

            migrationBuilder.DropTable(
                name: "order_items");

            migrationBuilder.DropTable(
                name: "shipments");

            migrationBuilder.DropTable(
                name: "orders");
        }
    }
}
