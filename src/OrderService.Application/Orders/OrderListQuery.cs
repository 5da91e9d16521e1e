using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Domain;
using OrderService.Persistence;
using Api = OrderService.Contracts.V1;

namespace OrderService.Application.Orders;

/// <summary>ListOrders' read model: a page of the caller's orders, newest purchase first,
/// by keyset (AIP-158), never an offset.</summary>
public sealed class OrderListQuery(OrderDbContext db, OrderViewQuery views)
{
    /// <summary>Which orders: none of the filters set means all the caller may see.</summary>
    public sealed record Filter(
        IReadOnlyList<OrderStatus> Statuses,
        DateTimeOffset? PurchasedFrom,
        DateTimeOffset? PurchasedBefore,
        bool? HasBuyerCancellationRequest);

    /// <summary>The last row of the previous page.</summary>
    public sealed record After(DateTimeOffset PurchasedAt, string OrderId);

    /// <summary>Up to <paramref name="pageSize"/> + 1 orders after <paramref name="after"/>,
    /// so that the caller knows whether another page follows: one statement reading the
    /// orders' stored views (see <see cref="OrderViews"/>), the orders whose view is not
    /// current read whole.</summary>
    public async Task<List<Api.Order>> PageAsync(Caller caller, Filter filter, After? after, int pageSize, CancellationToken cancellationToken)
    {
        var query = OrderRepository.Visible(db.Orders, caller).AsNoTracking();
        if (filter.Statuses.Count > 0)
        {
            var statuses = filter.Statuses;
            query = query.Where(o => statuses.Contains(o.Status));
        }

        if (filter.PurchasedFrom is { } start)
        {
            query = query.Where(o => o.PurchasedAt >= start);
        }

        if (filter.PurchasedBefore is { } end)
        {
            query = query.Where(o => o.PurchasedAt < end);
        }

        if (filter.HasBuyerCancellationRequest is { } hasRequest)
        {
            query = hasRequest
                ? query.Where(o => o.BuyerCancellationRequest != null)
                : query.Where(o => o.BuyerCancellationRequest == null);
        }

        if (after is not null)
        {
            // The first condition alone bounds the index range a deep page starts from.
            query = query.Where(o => o.PurchasedAt <= after.PurchasedAt)
                .Where(o => o.PurchasedAt < after.PurchasedAt || string.Compare(o.Id, after.OrderId) < 0);
        }

        var page = await OrderViewQuery.StoredViews(query.OrderByDescending(o => o.PurchasedAt).ThenByDescending(o => o.Id).Take(pageSize + 1))
            .ToListAsync(cancellationToken);
        return await views.ResolveAsync(caller, page, cancellationToken);
    }
}
