using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Application.Mapping;
using OrderService.Persistence;
using Api = OrderService.Contracts.V1;

namespace OrderService.Application.Orders;

/// <summary>The stored view of an order (see <see cref="IOrderViewRenderer"/>): the
/// contract's Order, rendered by <see cref="ContractMapper"/> whenever the order changes and
/// read back by GetOrder and ListOrders in one statement by key. A view is used only when
/// it is current: rendered in this build's format and at the order's version; otherwise
/// the order is read whole and mapped, as before views existed.</summary>
public sealed class OrderViews : IOrderViewRenderer
{
    /// <summary>Bump when <see cref="ContractMapper.ToProto(Domain.Order)"/> changes what it
    /// writes without the contract changing (a change of the contract's descriptors changes
    /// the format by itself): stored views of the old mapping are then not used.</summary>
    private const int MappingRevision = 2; // 2: every repeated field in a fixed order

    /// <summary>This build's format: a hash of the contract's descriptors and the mapping's
    /// revision, never 0 (no view).</summary>
    public static int CurrentFormat { get; } = FormatOf(Api.Order.Descriptor.File, MappingRevision);

    public int Format => CurrentFormat;

    public byte[] Render(Domain.Order order) => ContractMapper.ToProto(order).ToByteArray();

    /// <summary>The stored view of <paramref name="row"/>, when it is current: rendered in
    /// this build's format at the order's version; otherwise null.</summary>
    internal static Api.Order? Current(OrderViewQuery.StoredView row) =>
        row.Format == CurrentFormat && row.ViewVersion == row.Version && row.View is not null
            ? Api.Order.Parser.ParseFrom(row.View)
            : null;

    private static int FormatOf(Google.Protobuf.Reflection.FileDescriptor file, int revision)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var descriptor in new[] { file }.Concat(file.Dependencies))
        {
            hash.AppendData(descriptor.SerializedData.ToByteArray());
        }

        hash.AppendData(BitConverter.GetBytes(revision));
        var format = BitConverter.ToInt32(hash.GetHashAndReset(), 0) & int.MaxValue;
        return format == 0 ? 1 : format;
    }
}

/// <summary>GetOrder's read model: the order's stored view, by key.</summary>
public sealed class OrderViewQuery(OrderDbContext db, OrderRepository orders)
{
    /// <summary>The order as the caller may see it, or NOT_FOUND (also when it is someone
    /// else's). One statement by primary key when the stored view is current.</summary>
    public async Task<Api.Order> GetAsync(Caller caller, string orderId, CancellationToken cancellationToken)
    {
        var stored = await StoredViews(OrderRepository.Visible(db.Orders, caller).Where(o => o.Id == orderId))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw OrderRepository.NotFound(orderId);
        return OrderViews.Current(stored)
            ?? ContractMapper.ToProto(await orders.ReadVisibleAsync(caller, orderId, cancellationToken));
    }

    /// <summary>The stored views of <paramref name="orders"/>, in their order.</summary>
    internal static IQueryable<StoredView> StoredViews(IQueryable<Domain.Order> orders) =>
        orders.AsNoTracking().Select(o => new StoredView(o.Id, o.PurchasedAt, o.Version,
            EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn),
            EF.Property<int>(o, IOrderViewRenderer.ViewVersionColumn),
            EF.Property<byte[]?>(o, IOrderViewRenderer.ViewColumn)));

    /// <summary>The orders of <paramref name="rows"/> in their order: each from its stored
    /// view when current, the others read whole (one query for all of them).</summary>
    internal async Task<List<Api.Order>> ResolveAsync(Caller caller, IReadOnlyList<StoredView> rows, CancellationToken cancellationToken)
    {
        var views = rows.Select(OrderViews.Current).ToList();
        var stale = rows.Where((_, i) => views[i] is null).Select(row => row.OrderId).ToList();
        if (stale.Count > 0)
        {
            var loaded = await orders.ReadVisibleAsync(caller, stale, cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                // An order gone meanwhile is left out, as if the page had been read later.
                views[i] ??= loaded.TryGetValue(rows[i].OrderId, out var order) ? ContractMapper.ToProto(order) : null;
            }
        }

        return views.OfType<Api.Order>().ToList();
    }

    /// <summary>What a read of the stored view returns for one order.</summary>
    internal sealed record StoredView(string OrderId, DateTimeOffset PurchasedAt, int Version, int Format, int ViewVersion, byte[]? View);
}
