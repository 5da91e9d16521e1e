using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderService.Persistence.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class EventLogRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "event_log_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    PrunedThroughId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_event_log_state", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "event_log_state",
                columns: new[] { "Id", "PrunedThroughId" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "event_log_state");
        }
    }
}
