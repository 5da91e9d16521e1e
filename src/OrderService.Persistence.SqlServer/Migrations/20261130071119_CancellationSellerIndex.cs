using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CancellationSellerIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SellerId",
                table: "order_cancellations",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // The acts recorded so far take their order's seller.
            migrationBuilder.Sql("UPDATE order_cancellations SET [SellerId] = (SELECT o.[SellerId] FROM orders o WHERE o.[Id] = order_cancellations.[OrderId]);");

            migrationBuilder.CreateIndex(
                name: "IX_order_cancellations_SellerId_CountsAgainstSellerRate_CanceledAt",
                table: "order_cancellations",
                columns: new[] { "SellerId", "CountsAgainstSellerRate", "CanceledAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_order_cancellations_SellerId_CountsAgainstSellerRate_CanceledAt",
                table: "order_cancellations");

            migrationBuilder.DropColumn(
                name: "SellerId",
                table: "order_cancellations");
        }
    }
}
