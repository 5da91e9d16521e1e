using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CancellationActsOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One record of every cancellation: an order canceled before the acts were
            // recorded gets its whole-order act from the columns about to be dropped, with
            // the units its items show canceled, so that no cancellation is lost (R18).
            migrationBuilder.Sql("INSERT INTO order_cancellations (\"OrderId\", \"CancellationId\", \"Reason\", \"Requester\", \"Executor\", \"CountsAgainstSellerRate\", \"CanceledAt\", \"Note\", \"WholeOrder\") SELECT o.\"Id\", 'can_backfilled', o.cancel_reason, COALESCE(o.cancel_requester, 'Seller'), COALESCE(o.cancel_executor, 'Seller'), COALESCE(o.cancel_counts_against_seller, TRUE), COALESCE(o.canceled_at, o.\"UpdatedAt\"), o.cancel_note, TRUE FROM orders o WHERE o.cancel_reason IS NOT NULL AND NOT EXISTS (SELECT 1 FROM order_cancellations c WHERE c.\"OrderId\" = o.\"Id\" AND c.\"WholeOrder\" = TRUE);");
            migrationBuilder.Sql("INSERT INTO order_cancellation_lines (\"OrderId\", \"CancellationId\", \"OrderItemId\", \"Quantity\") SELECT i.\"OrderId\", 'can_backfilled', i.\"OrderItemId\", i.\"QuantityCanceled\" FROM order_items i WHERE i.\"QuantityCanceled\" > 0 AND EXISTS (SELECT 1 FROM order_cancellations c WHERE c.\"OrderId\" = i.\"OrderId\" AND c.\"CancellationId\" = 'can_backfilled');");

            migrationBuilder.DropColumn(
                name: "cancel_counts_against_seller",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_executor",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_note",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_reason",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cancel_requester",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "canceled_at",
                table: "orders");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cancel_counts_against_seller",
                table: "orders",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_executor",
                table: "orders",
                type: "character varying(48)",
                maxLength: 48,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_note",
                table: "orders",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                table: "orders",
                type: "character varying(48)",
                maxLength: 48,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_requester",
                table: "orders",
                type: "character varying(48)",
                maxLength: 48,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "canceled_at",
                table: "orders",
                type: "bigint",
                nullable: true);

            // Back to the columns: a CANCELED order's whole-order act fills them again.
            migrationBuilder.Sql("UPDATE orders SET cancel_reason = (SELECT c.\"Reason\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1), cancel_requester = (SELECT c.\"Requester\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1), cancel_executor = (SELECT c.\"Executor\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1), cancel_counts_against_seller = (SELECT c.\"CountsAgainstSellerRate\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1), canceled_at = (SELECT c.\"CanceledAt\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1), cancel_note = (SELECT c.\"Note\" FROM order_cancellations c WHERE c.\"OrderId\" = orders.\"Id\" AND c.\"WholeOrder\" = TRUE ORDER BY c.\"CanceledAt\" DESC LIMIT 1) WHERE orders.\"Status\" = 'Canceled';");
        }
    }
}
