using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Application.Orders;

/// <summary>Loads and adds order aggregates as a caller may see them. Loaded orders are
/// tracked: <see cref="Idempotency.IdempotentTransactions"/> saves what the domain changed.
/// An order and its collections are read by key, one index-backed statement per table, all
/// on one snapshot (<see cref="OrderDbContext.ReadConsistentlyAsync"/>), so the cost of a
/// load does not grow with the table and an order is never read half before and half after
/// a concurrent shipment.</summary>
public sealed class OrderRepository(OrderDbContext db)
{
    /// <summary>At most this many ids in one query: well under every provider's parameter
    /// limit.</summary>
    private const int IdsPerQuery = 500;

    /// <summary>The order, or NOT_FOUND, also when it exists but belongs to someone else:
    /// a seller cannot even learn that another seller's order id exists.</summary>
    public async Task<Order> FindVisibleAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        await LoadAsync(Visible(caller), orders => orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken), db, cancellationToken)
        ?? throw NotFound(orderId);

    /// <summary>The order to read, not to change: as <see cref="FindVisibleAsync(Caller, string, CancellationToken)"/>,
    /// without tracking it for a save.</summary>
    public async Task<Order> ReadVisibleAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        await LoadAsync(Visible(caller).AsNoTracking(), orders => orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken), db, cancellationToken)
        ?? throw NotFound(orderId);

    /// <summary>The caller's orders among <paramref name="orderIds"/>, by id; ids that name
    /// no order the caller may see are simply absent.</summary>
    public Task<Dictionary<string, Order>> FindVisibleAsync(
        Caller caller, IEnumerable<string> orderIds, CancellationToken cancellationToken) =>
        LoadVisibleAsync(Visible(caller), orderIds, cancellationToken);

    /// <summary>As <see cref="FindVisibleAsync(Caller, IEnumerable{string}, CancellationToken)"/>,
    /// to read, not to change: not tracked for a save.</summary>
    public Task<Dictionary<string, Order>> ReadVisibleAsync(
        Caller caller, IEnumerable<string> orderIds, CancellationToken cancellationToken) =>
        LoadVisibleAsync(Visible(caller).AsNoTracking(), orderIds, cancellationToken);

    private async Task<Dictionary<string, Order>> LoadVisibleAsync(
        IQueryable<Order> visible, IEnumerable<string> orderIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Order>(StringComparer.Ordinal);
        foreach (var ids in orderIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerQuery))
        {
            // The ids as one parameter (a JSON array on SQLite, an array on PostgreSQL), not
            // one parameter each: EF Core's expansion of 500 parameters costs more than the
            // query. Many orders load one statement per table on every provider: joined, a
            // chunk's items, charges and cancellations would multiply each other's rows.
            var orders = await db.ReadConsistentlyAsync(
                _ => visible.Where(o => EF.Parameter(ids).Contains(o.Id)).AsSplitQuery().ToListAsync(cancellationToken),
                cancellationToken);
            foreach (var order in orders)
            {
                found[order.Id] = order;
            }
        }

        return found;
    }

    public Task<bool> ExistsAsync(string orderId, CancellationToken cancellationToken) =>
        db.Orders.AnyAsync(o => o.Id == orderId, cancellationToken);

    public void Add(Order order) => db.Orders.Add(order);

    /// <summary>NOT_FOUND for an order that does not exist or is not the caller's.</summary>
    public static DomainException NotFound(string orderId) =>
        new(ErrorKind.NotFound, "ORDER_NOT_FOUND", $"Order '{orderId}' was not found.",
            metadata: new Dictionary<string, string> { ["resource"] = $"orders/{orderId}" });

    /// <summary>Orders the caller may see: all for the marketplace, its own for a seller
    /// or a buyer.</summary>
    internal static IQueryable<Order> Visible(IQueryable<Order> orders, Caller caller) => caller.Role switch
    {
        CallerRole.Marketplace => orders,
        CallerRole.Seller => orders.Where(o => o.SellerId == caller.Id),
        CallerRole.Buyer => orders.Where(o => o.BuyerId == caller.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    /// <summary>Runs a load of whole aggregates the way the database reads them best, always
    /// from one snapshot: one statement joining the collections where it is planned once and
    /// prepared (PostgreSQL, SQL Server), one index-backed statement per table on a read
    /// snapshot on SQLite (whose plan for the joined form materializes whole tables).</summary>
    internal static Task<T> LoadAsync<T>(
        IQueryable<Order> orders, Func<IQueryable<Order>, Task<T>> load, OrderDbContext db, CancellationToken cancellationToken) =>
        db.LoadsAggregatesInOneStatement
            ? load(orders.AsSingleQuery())
            : db.ReadConsistentlyAsync(_ => load(orders.AsSplitQuery()), cancellationToken);

    private IQueryable<Order> Visible(Caller caller) => Visible(db.Orders, caller);
}
