namespace OrderService.Bench;

/// <summary>Orders handed out once each (a CancelOrder or ConfirmShipment needs an order
/// still UNSHIPPED), safe to take from many callers.</summary>
public sealed class OrderPool(string name, IReadOnlyList<SeededOrder> orders)
{
    private int _next = -1;

    public string Name { get; } = name;

    public int Size => orders.Count;

    public int Remaining => Math.Max(0, orders.Count - (Volatile.Read(ref _next) + 1));

    public SeededOrder? Take()
    {
        var index = Interlocked.Increment(ref _next);
        return index < orders.Count ? orders[index] : null;
    }

    public IReadOnlyList<SeededOrder> TakeAll()
    {
        var taken = new List<SeededOrder>();
        while (Take() is { } order)
        {
            taken.Add(order);
        }

        return taken;
    }
}

/// <summary>The seeded orders split into disjoint pools, one per scenario that changes
/// orders, so that every change is made to an UNSHIPPED order exactly once:
/// the big seller's orders go to the cancellation feeds (each feed gets the lines asked for,
/// or its share of the big seller's orders when there are fewer), the other sellers' orders
/// are split between CancelOrder and ConfirmShipment.</summary>
public sealed class Pools
{
    public Pools(SeedData data, IReadOnlyList<int> feedLines, int seed)
    {
        var random = new Random(seed);
        var big = data.OfSeller(data.BigSeller).ToArray();
        var others = data.Orders.Where(o => o.SellerId != data.BigSeller).ToArray();
        random.Shuffle(big);
        random.Shuffle(others);

        var asked = Math.Max(1, feedLines.Sum());
        var offset = 0;
        foreach (var lines in feedLines)
        {
            var take = (int)Math.Min(lines, (long)big.Length * lines / Math.Max(asked, big.Length));
            Feeds.Add((lines, new OrderPool($"feed {lines}", big[offset..(offset + take)])));
            offset += take;
        }

        var half = others.Length / 2;
        Cancel = new OrderPool("cancel", others[..half]);
        Ship = new OrderPool("ship", others[half..]);
    }

    /// <summary>Per feed size asked for, the orders its lines name.</summary>
    public List<(int Asked, OrderPool Pool)> Feeds { get; } = [];

    public OrderPool Cancel { get; }

    public OrderPool Ship { get; }
}
