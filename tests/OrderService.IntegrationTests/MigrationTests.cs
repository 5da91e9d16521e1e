using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>Upgrading a database that holds data: what the migrations move must arrive.</summary>
public sealed class MigrationTests
{
    /// <summary>Migrations as a step of their own (docs/operations.md): the script that
    /// `dotnet ef migrations script --idempotent` writes builds the whole schema on an empty
    /// database, and, on PostgreSQL, runs a second time without error or change (a rollout
    /// that applies it again); a server started with Database:MigrateOnStartup=false then
    /// serves on it. SQLite cannot make idempotent scripts: there the plain script is applied
    /// once.</summary>
    [Fact]
    public async Task The_migration_script_builds_the_schema_on_an_empty_database_and_a_server_that_does_not_migrate_serves_on_it()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(
            settings: new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["AutoCancel:Enabled"] = "false" });
        var idempotent = server.Provider != Persistence.DatabaseProvider.Sqlite;

        var (applied, pendingModelChanges) = await server.QueryDatabaseAsync(async db =>
        {
            var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync())
            {
                await creator.CreateAsync(); // an empty database, as an operator creates it
            }

            Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
            var script = db.GetService<IMigrator>().GenerateScript(
                options: idempotent ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default);
            await db.Database.ExecuteSqlRawAsync(script);
            if (idempotent)
            {
                await db.Database.ExecuteSqlRawAsync(script); // applied again: nothing to do
            }

            return ((await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.HasPendingModelChanges());
        });

        var all = await server.QueryDatabaseAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.False(pendingModelChanges);

        // The server, which never migrated, serves on the schema the script built.
        var sellerId = NewId("S");
        using var marketplace = server.Marketplace();
        var created = (await marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, NewId("B")))).Order;
        var authorized = (await marketplace.Orders.AuthorizePaymentAsync(Authorize(created.OrderId))).Order;
        using var seller = server.Seller(sellerId);
        var canceled = (await seller.Orders.CancelOrderAsync(Cancel(created.OrderId))).Order;

        Assert.Equal(OrderStatus.Unshipped, authorized.Status);
        Assert.Equal(OrderStatus.Canceled, canceled.Status);
        Assert.Equal(canceled, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = created.OrderId })).Order);
    }

    [Fact]
    public async Task R18_an_order_canceled_before_acts_were_recorded_keeps_its_cancellation_after_the_upgrade()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(
            settings: new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["AutoCancel:Enabled"] = "false" });
        var sellerId = NewId("S");
        var orderId = NewId("250");
        var purchased = DateTimeOffset.UtcNow.AddDays(-2).UtcTicks;
        var canceled = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks;

        await server.QueryDatabaseAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            // The schema as it was when a canceled order kept its cancellation in columns of
            // its own row, and an order canceled then has no act.
            await migrator.MigrateAsync("CancellationRecords");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO orders ("Id", "SellerId", "BuyerId", "Status", "CurrencyCode", "PurchasedAt", "LatestShipDate",
                    "PaymentAuthorizedAt", "CreatedAt", "UpdatedAt", "Version", cancel_reason, cancel_requester, cancel_executor,
                    cancel_counts_against_seller, canceled_at, cancel_note)
                VALUES ({orderId}, {sellerId}, {"B-legacy"}, {"Canceled"}, {"JPY"}, {purchased}, {canceled}, {purchased}, {purchased},
                    {canceled}, {3}, {"NoInventory"}, {"BuyerMessage"}, {"Seller"}, {true}, {canceled}, {"sold out"})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO order_items ("OrderId", "OrderItemId", "Sku", "Title", "QuantityOrdered", "QuantityShipped", "QuantityCanceled")
                VALUES ({orderId}, {"A"}, {"SKU-A"}, {"Tea cup"}, {2}, {0}, {2})
                """);

            await migrator.MigrateAsync();
            return 0;
        });

        using var seller = server.Seller(sellerId);
        var order = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;

        Assert.Equal(OrderStatus.Canceled, order.Status);
        var act = Assert.Single(order.Cancellations);
        Assert.Equal(act, order.Cancellation);
        Assert.Equal(CancelReason.NoInventory, act.Reason);
        Assert.Equal(CancellationRequester.BuyerMessage, act.Requester);
        Assert.Equal(CancellationExecutor.Seller, act.Executor);
        Assert.True(act.CountsAgainstSellerRate);
        Assert.Equal(canceled, act.CancelTime.ToDateTimeOffset().UtcTicks);
        Assert.Equal("sold out", act.Note);
        Assert.True(act.WholeOrder);
        Assert.Equal([new CanceledUnits { OrderItemId = "A", Quantity = 2 }], act.Units);

        // It still counts against its seller's rate (R17), read from the acts' seller.
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Equal([orderId], metrics.CountedOrderIds);
    }

    [Fact]
    public async Task Items_written_before_positions_were_kept_come_back_in_the_order_they_were_shown_in_before()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(
            settings: new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["AutoCancel:Enabled"] = "false" });
        var sellerId = NewId("S");
        var orderId = NewId("250");
        var purchased = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks;

        await server.QueryDatabaseAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            // The schema before items kept their position (and before stored views).
            await migrator.MigrateAsync("CancellationSellerIndex");
            await InsertOrderRowAsync(db, orderId, sellerId, "Unshipped", purchased, version: 2);
            foreach (var itemId in new[] { "C", "A", "B" })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO order_items ("OrderId", "OrderItemId", "Sku", "Title", "QuantityOrdered", "QuantityShipped", "QuantityCanceled")
                    VALUES ({orderId}, {itemId}, {"SKU-" + itemId}, {"Item " + itemId}, {1}, {0}, {0})
                    """);
            }

            await migrator.MigrateAsync();
            return 0;
        });

        using var seller = server.Seller(sellerId);
        var order = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;

        Assert.Equal(["A", "B", "C"], order.Items.Select(i => i.OrderItemId));
        var positions = await server.QueryDatabaseAsync(async db =>
            (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId)).Items.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Position).ToList());
        Assert.Equal([0, 1, 2], positions);
    }

    [Fact]
    public async Task R22_charges_written_before_refunds_existed_are_refundable_up_to_what_they_charged()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(
            settings: new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["AutoCancel:Enabled"] = "false" });
        var sellerId = NewId("S");
        var orderId = NewId("250");
        var purchased = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks;

        await server.QueryDatabaseAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            // The schema before refunds were recorded: a shipped order of 2 units at 1099.
            await migrator.MigrateAsync("OrderItemPositions");
            await InsertOrderRowAsync(db, orderId, sellerId, "Shipped", purchased, version: 3);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO order_items ("OrderId", "OrderItemId", "Sku", "Title", "QuantityOrdered", "QuantityShipped", "QuantityCanceled", "Position")
                VALUES ({orderId}, {"A"}, {"SKU-A"}, {"Tea cup"}, {2}, {2}, {0}, {0})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO order_item_charges ("OrderId", "OrderItemId", "Component", "AmountMinor")
                VALUES ({orderId}, {"A"}, {"Principal"}, {1099L})
                """);

            await migrator.MigrateAsync();
            return 0;
        });

        using var seller = server.Seller(sellerId);
        var refund = (await seller.Refunds.RefundOrderAsync(new RefundOrderRequest
        {
            RequestId = RequestId(),
            OrderId = orderId,
            Reason = AdjustmentReason.CustomerReturn,
        })).Refund;

        Assert.Equal(2198, refund.Total.Units);
        var stored = await server.QueryDatabaseAsync(async db =>
            (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId)).Items.Single().UnitCharges.Single());
        Assert.Equal((2198L, 2198L), (stored.ChargedMinor, stored.RefundedMinor));
    }

    [Fact]
    public async Task R22_a_charge_written_by_an_older_instance_after_the_upgrade_is_still_refundable()
    {
        // During a rolling upgrade an instance of the build before refunds keeps writing
        // orders: their charges have no charged amount (0), which the database's check would
        // hold against every refund. The first refund fills it in.
        await using var server = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?> { ["AutoCancel:Enabled"] = "false" });
        var sellerId = NewId("S");
        var orderId = NewId("250");
        var purchased = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks;
        await server.QueryDatabaseAsync(async db =>
        {
            await InsertOrderRowAsync(db, orderId, sellerId, "Shipped", purchased, version: 3);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO order_items ("OrderId", "OrderItemId", "Sku", "Title", "QuantityOrdered", "QuantityShipped", "QuantityCanceled")
                VALUES ({orderId}, {"A"}, {"SKU-A"}, {"Tea cup"}, {2}, {2}, {0})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO order_item_charges ("OrderId", "OrderItemId", "Component", "AmountMinor")
                VALUES ({orderId}, {"A"}, {"Principal"}, {1099L})
                """);
            return 0;
        });
        using var seller = server.Seller(sellerId);

        var refund = (await seller.Refunds.RefundOrderAsync(new RefundOrderRequest
        {
            RequestId = RequestId(),
            OrderId = orderId,
            Reason = AdjustmentReason.CustomerReturn,
        })).Refund;

        Assert.Equal(2198, refund.Total.Units);
        var stored = await server.QueryDatabaseAsync(async db =>
            (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId)).Items.Single().UnitCharges.Single());
        Assert.Equal((2198L, 2198L), (stored.ChargedMinor, stored.RefundedMinor));
    }

    /// <summary>An order row as an older build wrote it, with only the columns every
    /// version of the schema has (a buyer "B-legacy", JPY, every time <paramref name="at"/>).</summary>
    private static Task InsertOrderRowAsync(Persistence.OrderDbContext db, string orderId, string sellerId, string status, long at, int version) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO orders ("Id", "SellerId", "BuyerId", "Status", "CurrencyCode", "PurchasedAt", "LatestShipDate",
                "PaymentAuthorizedAt", "CreatedAt", "UpdatedAt", "Version")
            VALUES ({orderId}, {sellerId}, {"B-legacy"}, {status}, {"JPY"}, {at}, {at}, {at}, {at}, {at}, {version})
            """);
}
