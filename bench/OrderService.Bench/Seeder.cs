using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderService.Application.Orders;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Bench;

/// <summary>One seeded order, as much as the load needs to address it.</summary>
public sealed record SeededOrder(string Id, string SellerId, (string ItemId, int Quantity)[] Items);

/// <summary>What was seeded: every order, the sellers, and the big seller.</summary>
public sealed record SeedData(IReadOnlyList<SeededOrder> Orders, IReadOnlyList<string> Sellers, string BigSeller, TimeSpan Took)
{
    public IEnumerable<SeededOrder> OfSeller(string sellerId) => Orders.Where(o => o.SellerId == sellerId);
}

/// <summary>Writes realistic orders straight into the database before the server starts:
/// built by the domain (<see cref="Order.Create"/>, then <see cref="Order.AuthorizePayment"/>)
/// exactly as CreateOrder and AuthorizePayment build them, added to an
/// <see cref="OrderDbContext"/> together with the two event rows (ORDER_CREATED,
/// PAYMENT_AUTHORIZED) those calls append, each with the order's version and summary at its
/// own step, and written in batches of multi-row INSERTs of the rows EF Core would write
/// (<see cref="BulkInsert"/>). The stored answers of the intake calls
/// (idempotency records) are not written: nothing reads them back.
///
/// Shape: orders of 2-3 items (1-3 units each; principal, 10 % tax, shipping on some),
/// JPY, UNSHIPPED, purchased over the last 5 days with a latest ship date 7 days after the
/// purchase, over <c>sellers</c> sellers of which one (SELLER-BIG) holds 40 % of the orders
/// and the others share the rest evenly, from 20,000 buyers.</summary>
public static class Seeder
{
    public const string BigSeller = "SELLER-BIG";
    public const double BigSellerShare = 0.4;
    private const int BatchSize = 2_000;

    private static readonly string[] Titles =
    [
        "Arita porcelain tea cup", "Cast iron teapot 0.6 L", "Hinoki cutting board", "Linen noren curtain",
        "Bamboo rice paddle set", "Matcha whisk (80 prongs)", "Glass wind chime", "Tenugui cotton towel",
        "Lacquered chopsticks, 5 pairs", "Ceramic donabe pot", "Copper tamagoyaki pan", "Sashiko embroidery kit",
    ];

    private static readonly string[] Localities = ["Shibuya-ku", "Kita-ku", "Naka-ku", "Chuo-ku", "Minato-ku", "Sakyo-ku"];
    private static readonly string[] Prefectures = ["Tokyo", "Osaka", "Kyoto", "Aichi", "Fukuoka", "Hokkaido"];

    public static IReadOnlyList<string> SellerIds(int sellers) =>
        [BigSeller, .. Enumerable.Range(1, sellers - 1).Select(i => $"SELLER-{i:D3}")];

    public static async Task<SeedData> SeedAsync(
        DatabaseProvider provider, string connectionString, int count, int sellerCount, int seed, Action<string> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = Options(provider, connectionString);
        await using (var db = new OrderDbContext(options))
        {
            await DatabaseSetup.MigrateAsync(db, cancellationToken);
        }

        var random = new Random(seed);
        var sellers = SellerIds(sellerCount);
        var now = DateTimeOffset.UtcNow;
        var seeded = new List<SeededOrder>(count);
        var lastReport = Stopwatch.StartNew();

        // The next batch is built (domain objects, change tracker) while the last one is
        // written: the two halves take about as long each.
        OrderDbContext BuildBatch(int start)
        {
            // With the service's own renderer: the orders carry the stored views that
            // GetOrder and ListOrders read, as orders written by the service do.
            var db = new OrderDbContext(options).Use(null, new OrderViews());
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + BatchSize); i++)
            {
                // Two orders in five are the big seller's, spread through the whole insert
                // as they would arrive, not in one block.
                var sellerId = i % 5 < 2 ? BigSeller : sellers[1 + random.Next(sellers.Count - 1)];
                var (order, created, authorized) = Build(i, sellerId, random, now);
                db.Orders.Add(order);
                db.OrderEvents.Add(created);
                db.OrderEvents.Add(authorized);
                seeded.Add(new SeededOrder(order.Id, sellerId, order.Items.Select(item => (item.Id, item.QuantityOrdered)).ToArray()));
            }

            db.RenderViews();
            return db;
        }

        var next = Task.Run(() => BuildBatch(0), cancellationToken);
        for (var start = 0; start < count; start += BatchSize)
        {
            await using var db = await next;
            var following = start + BatchSize;
            if (following < count)
            {
                next = Task.Run(() => BuildBatch(following), cancellationToken);
            }

            await BulkInsert.SaveAddedAsync(db, cancellationToken);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
            {
                progress($"seeded {following:N0} of {count:N0} orders ({following / clock.Elapsed.TotalSeconds:N0}/s)");
                lastReport.Restart();
            }
        }

        await using (var db = new OrderDbContext(options))
        {
            // Fresh statistics, as a database that has been running a while would have.
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Sqlite ? "ANALYZE" : "VACUUM ANALYZE", cancellationToken);
        }

        return new SeedData(seeded, sellers, BigSeller, clock.Elapsed);
    }

    public static DbContextOptions<OrderDbContext> Options(DatabaseProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<OrderDbContext>();
        DatabaseSetup.Configure(builder, provider, connectionString);
        return builder.Options;
    }

    /// <summary>An UNSHIPPED order as CreateOrder then AuthorizePayment leave it, and the two
    /// event rows they append.</summary>
    private static (Order Order, OrderEventRecord Created, OrderEventRecord Authorized) Build(int index, string sellerId, Random random, DateTimeOffset now)
    {
        var purchase = now.AddMinutes(-15 - random.Next(5 * 24 * 60));
        var itemCount = 2 + random.Next(2);
        var items = new List<NewOrderItem>(itemCount);
        for (var i = 1; i <= itemCount; i++)
        {
            var principal = 100 * (5 + random.Next(196));
            var charges = new List<UnitCharge>
            {
                new(ChargeComponent.Principal, principal),
                new(ChargeComponent.Tax, principal / 10),
            };
            if (i == 1 || random.Next(3) == 0)
            {
                charges.Add(new UnitCharge(ChargeComponent.Shipping, 300 + 50 * random.Next(5)));
            }

            var sku = random.Next(5_000);
            items.Add(new NewOrderItem($"ITEM-{i}", $"SKU-{sku:D5}", Titles[sku % Titles.Length], 1 + random.Next(3), charges));
        }

        var orderId = $"250-{random.Next(10_000_000):D7}-{index:D7}";
        var buyerId = $"BUYER-{random.Next(20_000):D5}";
        var createdAt = purchase.AddMinutes(1);
        var order = Order.Create(new NewOrder(orderId, sellerId, buyerId, "JPY", purchase, purchase.AddDays(7), items), createdAt);
        var created = EventRow(order);

        var place = random.Next(Localities.Length);
        var name = $"Buyer {buyerId[6..]}";
        order.AuthorizePayment(
            new ShippingAddress(name, $"{1 + random.Next(9)}-{1 + random.Next(30)}-{1 + random.Next(20)} Hommachi", null, null,
                Localities[place], Prefectures[place], $"{100 + random.Next(900)}-{random.Next(10_000):D4}", "JP", null),
            new BuyerContact(name, $"{buyerId.ToLowerInvariant()}@buyers.example.invalid", null),
            createdAt.AddMinutes(4));
        var authorized = EventRow(order);
        return (order, created, authorized);
    }

    /// <summary>The row <see cref="OrderDbContext"/> appends for the order's one pending
    /// event, taken now so that it carries the order's version and state of this step.</summary>
    private static OrderEventRecord EventRow(Order order)
    {
        var row = OrderEventRecord.Of(order, order.PendingEvents.Single());
        order.ClearPendingEvents();
        return row;
    }
}
