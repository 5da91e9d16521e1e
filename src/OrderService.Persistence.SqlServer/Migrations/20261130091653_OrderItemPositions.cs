using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.SqlServer.Migrations
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
                type: "int",
                nullable: false,
                defaultValue: 0);

            // Items written before positions were kept: the order they were shown in, by id.
            migrationBuilder.Sql("""
                UPDATE i SET [Position] = (SELECT COUNT(*) FROM order_items AS earlier WHERE earlier.[OrderId] = i.[OrderId] AND earlier.[OrderItemId] < i.[OrderItemId]) FROM order_items AS i;
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
