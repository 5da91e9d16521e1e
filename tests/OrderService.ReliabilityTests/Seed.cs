using OrderService.Application.Orders;
using OrderService.Bench;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.ReliabilityTests;

/// <summary>Orders written straight into the database before the server starts, as the
/// intake calls would have left them: built by the domain (CreateOrder, AuthorizePayment,
/// ConfirmShipment), each step's event row appended with the order's version at that step,
/// the stored views rendered, and the rows written by the bench's <see cref="BulkInsert"/>.
/// Twenty thousand orders through the API would take minutes on two cores; the crash tests
/// are about what happens after.</summary>
public static class Seed
{
    private const int BatchSize = 2_000;

    /// <summary>Each order has one item "A": <see cref="Units"/> units at
    /// <see cref="UnitPrice"/> JPY (PRINCIPAL).</summary>
    public const int Units = 2;

    public const long UnitPrice = 1_000;

    public enum State
    {
        Pending,
        Unshipped,
        Shipped,
    }

    public static Task WriteAsync(CrashServer server, string sellerId, IReadOnlyList<(string OrderId, State State)> orders) =>
        WriteAsync(server, sellerId, [.. orders.Select(o => (o.OrderId, o.State, TimeSpan.FromHours(1)))]);

    /// <summary>Orders purchased <c>Age</c> ago, each with its latest ship date two days
    /// after its purchase: 10 days old, an UNSHIPPED order is due for R5's auto-cancel; 8.5
    /// days, for its warning only; 22 days, a PENDING one is due for R4's.</summary>
    public static async Task WriteAsync(CrashServer server, string sellerId, IReadOnlyList<(string OrderId, State State, TimeSpan Age)> orders)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var batch in orders.Chunk(BatchSize))
        {
            await using var db = server.OpenDatabase().Use(null, new OrderViews());
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var (orderId, state, age) in batch)
            {
                var (order, events) = Build(orderId, sellerId, state, now - age);
                db.Orders.Add(order);
                db.OrderEvents.AddRange(events);
            }

            db.RenderViews();
            await BulkInsert.SaveAddedAsync(db, CancellationToken.None);
        }
    }

    private static (Order Order, List<OrderEventRecord> Events) Build(string orderId, string sellerId, State state, DateTimeOffset purchased)
    {
        var events = new List<OrderEventRecord>();
        var order = Order.Create(
            new NewOrder(orderId, sellerId, "BUYER-" + orderId, "JPY", purchased, purchased.AddDays(2),
                [new NewOrderItem("A", "SKU-A", "Tea cup", Units, [new UnitCharge(ChargeComponent.Principal, UnitPrice)])]),
            purchased.AddMinutes(1));
        Step(order, events);
        if (state == State.Pending)
        {
            return (order, events);
        }

        order.AuthorizePayment(
            new ShippingAddress("Hanako Yamada", "1-2-3 Chiyoda", null, null, "Chiyoda-ku", "Tokyo", "100-0001", "JP", null),
            new BuyerContact("Hanako Yamada", "hanako@example.jp", null),
            purchased.AddMinutes(5));
        Step(order, events);
        if (state == State.Unshipped)
        {
            return (order, events);
        }

        order.ConfirmShipment([new ItemQuantity("A", Units)], "Yamato Transport", "TRACK-" + orderId, purchased.AddMinutes(20),
            acknowledgeBuyerCancellationRequest: false, purchased.AddMinutes(20));
        Step(order, events);
        return (order, events);
    }

    /// <summary>The event row of the step just taken, with the order as it is now.</summary>
    private static void Step(Order order, List<OrderEventRecord> events)
    {
        events.Add(OrderEventRecord.Of(order, order.PendingEvents.Single()));
        order.ClearPendingEvents();
    }
}
