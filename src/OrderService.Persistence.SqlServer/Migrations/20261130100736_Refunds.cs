using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Refunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "carrier_return_cause",
                table: "orders",
                type: "nvarchar(48)",
                maxLength: 48,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "carrier_return_note",
                table: "orders",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "carrier_return_received_at",
                table: "orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "carrier_return_refund_id",
                table: "orders",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "carrier_return_requested_at",
                table: "orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChargedMinor",
                table: "order_item_charges",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RefundedMinor",
                table: "order_item_charges",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "order_refunds",
                columns: table => new
                {
                    RefundId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(48)", maxLength: 48, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(48)", maxLength: 48, nullable: false),
                    CurrencyCode = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    RefundedAt = table.Column<long>(type: "bigint", nullable: false),
                    BuyerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, defaultValue: ""),
                    SellerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, defaultValue: ""),
                    Lines = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_refunds", x => new { x.OrderId, x.RefundId });
                    table.ForeignKey(
                        name: "FK_order_refunds_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // What every existing charge was charged over its item's units, before the
            // database starts checking refunds against it (R22).
            migrationBuilder.Sql("""
                UPDATE c SET [ChargedMinor] = c.[AmountMinor] * i.[QuantityOrdered] FROM order_item_charges AS c JOIN order_items AS i ON i.[OrderId] = c.[OrderId] AND i.[OrderItemId] = c.[OrderItemId];
                """);

            migrationBuilder.AddCheckConstraint(
                name: "CK_order_item_charges_refunded_within_charged",
                table: "order_item_charges",
                sql: "\"RefundedMinor\" >= 0 AND \"RefundedMinor\" <= \"ChargedMinor\"");

            migrationBuilder.CreateIndex(
                name: "IX_order_refunds_BuyerId_RefundedAt",
                table: "order_refunds",
                columns: new[] { "BuyerId", "RefundedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_order_refunds_SellerId_RefundedAt",
                table: "order_refunds",
                columns: new[] { "SellerId", "RefundedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_refunds");

            migrationBuilder.DropCheckConstraint(
                name: "CK_order_item_charges_refunded_within_charged",
                table: "order_item_charges");

            migrationBuilder.DropColumn(
                name: "carrier_return_cause",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "carrier_return_note",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "carrier_return_received_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "carrier_return_refund_id",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "carrier_return_requested_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ChargedMinor",
                table: "order_item_charges");

            migrationBuilder.DropColumn(
                name: "RefundedMinor",
                table: "order_item_charges");
        }
    }
}
