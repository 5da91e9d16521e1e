using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OrderItemPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Position",
                table: "order_items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Items written before positions were kept: the order they were shown in, by id.
            migrationBuilder.Sql("""
                UPDATE order_items SET "Position" = (SELECT COUNT(*) FROM order_items AS earlier WHERE earlier."OrderId" = order_items."OrderId" AND earlier."OrderItemId" < order_items."OrderItemId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Position",
                table: "order_items");
        }
    }
}
