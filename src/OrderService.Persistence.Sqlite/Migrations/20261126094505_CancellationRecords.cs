using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CancellationRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AutoCancelWarnedAt",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "order_cancellations",
                columns: table => new
                {
                    CancellationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Requester = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Executor = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    CountsAgainstSellerRate = table.Column<bool>(type: "INTEGER", nullable: false),
                    CanceledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    WholeOrder = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_cancellations", x => new { x.OrderId, x.CancellationId });
                    table.ForeignKey(
                        name: "FK_order_cancellations_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "order_cancellation_lines",
                columns: table => new
                {
                    OrderItemId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "TEXT", nullable: false),
                    CancellationId = table.Column<string>(type: "TEXT", nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_cancellation_lines", x => new { x.OrderId, x.CancellationId, x.OrderItemId });
                    table.ForeignKey(
                        name: "FK_order_cancellation_lines_order_cancellations_OrderId_CancellationId",
                        columns: x => new { x.OrderId, x.CancellationId },
                        principalTable: "order_cancellations",
                        principalColumns: new[] { "OrderId", "CancellationId" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_PurchasedAt",
                table: "orders",
                columns: new[] { "Status", "PurchasedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_cancellation_lines");

            migrationBuilder.DropTable(
                name: "order_cancellations");

            migrationBuilder.DropIndex(
                name: "IX_orders_Status_PurchasedAt",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "AutoCancelWarnedAt",
                table: "orders");
        }
    }
}
