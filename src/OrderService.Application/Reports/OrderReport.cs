using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.Persistence;

namespace OrderService.Application.Reports;

/// <summary>The order report and the unshipped-orders report (R30, R31): the seller's
/// orders, oldest purchase first, read a keyset page at a time from the orders' stored
/// views, and handed out one row at a time as the caller asks for them, so that a report of
/// any size starts at once and holds one page in memory.</summary>
public sealed class OrderReport(OrderDbContext db, OrderViewQuery views, TimeProvider clock)
{
    /// <summary>Orders per database read: small enough that a page is a short statement
    /// and little memory, large enough that a big report is few round trips.</summary>
    public const int PageSize = 200;

    /// <summary>Which rows, and what they show.</summary>
    public sealed record Query(
        OrderReportType Type,
        DateTimeOffset? PurchasedFrom,
        DateTimeOffset? PurchasedBefore,
        bool IncludeBuyerCancellationRequest);

    /// <summary>A row's position: its order's purchase time and id.</summary>
    public sealed record Position(DateTimeOffset PurchasedAt, string OrderId);

    /// <summary>The report's rows after <paramref name="after"/> (from the first when null),
    /// each with its position.</summary>
    public async IAsyncEnumerable<(StreamOrderReportResponse Row, Position Position)> RowsAsync(
        Caller caller, Query query, Position? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            var page = await OrderViewQuery.StoredViews(Page(caller, query, after)).ToListAsync(cancellationToken);
            var orders = (await views.ResolveAsync(caller, page, cancellationToken)).ToDictionary(o => o.OrderId, StringComparer.Ordinal);
            foreach (var stored in page)
            {
                // An order is never deleted; should one be missing meanwhile, it is skipped.
                if (orders.TryGetValue(stored.OrderId, out var order))
                {
                    yield return (Row(order, query, now), new Position(stored.PurchasedAt, stored.OrderId));
                }
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = new Position(page[^1].PurchasedAt, page[^1].OrderId);
        }
    }

    private IQueryable<Domain.Order> Page(Caller caller, Query query, Position? after)
    {
        // The caller's own orders only, and only those that reached payment authorization
        // (R1, R3, R30): never a PENDING one, nor one canceled while PENDING (R4, or the
        // buyer's request before authorization).
        var orders = db.Orders.Where(o => o.SellerId == caller.Id && o.PaymentAuthorizedAt != null);
        if (query.Type == OrderReportType.UnshippedOrders)
        {
            orders = orders.Where(o => o.Status == Domain.OrderStatus.Unshipped || o.Status == Domain.OrderStatus.PartiallyShipped);
        }

        if (query.PurchasedFrom is { } from)
        {
            orders = orders.Where(o => o.PurchasedAt >= from);
        }

        if (query.PurchasedBefore is { } before)
        {
            orders = orders.Where(o => o.PurchasedAt < before);
        }

        if (after is not null)
        {
            // The first condition alone bounds the index range the page starts from (seller,
            // purchase time); without it the OR made PostgreSQL read the seller's every order
            // for every page (minutes for a million-line report).
            orders = orders.Where(o => o.PurchasedAt >= after.PurchasedAt)
                .Where(o => o.PurchasedAt > after.PurchasedAt || string.Compare(o.Id, after.OrderId) > 0);
        }

        return orders.OrderBy(o => o.PurchasedAt).ThenBy(o => o.Id).Take(PageSize);
    }

    private static StreamOrderReportResponse Row(Order order, Query query, DateTimeOffset now)
    {
        var row = new StreamOrderReportResponse { Order = order };
        if (query.IncludeBuyerCancellationRequest)
        {
            // R31: a request stays visible after the order was canceled.
            row.IsBuyerRequestedCancellation = order.BuyerCancellationRequest is not null;
            row.BuyerCancellationReason = order.BuyerCancellationRequest?.Reason ?? "";
        }
        else
        {
            order.BuyerCancellationRequest = null;
        }

        if (query.Type == OrderReportType.UnshippedOrders)
        {
            var late = now - order.LatestShipTime.ToDateTimeOffset();
            row.DaysPastPromise = late > TimeSpan.Zero ? (int)Math.Min(late.TotalDays, int.MaxValue) : 0;
        }

        return row;
    }
}
