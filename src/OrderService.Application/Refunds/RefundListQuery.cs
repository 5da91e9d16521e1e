using Microsoft.EntityFrameworkCore;
using OrderService.Application.Access;
using OrderService.Application.Mapping;
using OrderService.Persistence;
using Api = OrderService.Contracts.V1;

namespace OrderService.Application.Refunds;

/// <summary>ListRefunds' read model: refunds newest first, by keyset (AIP-158), read from
/// the refunds' own table by the seller's or the buyer's index.</summary>
public sealed class RefundListQuery(OrderDbContext db)
{
    /// <summary>The last refund of the previous page.</summary>
    public sealed record After(DateTimeOffset RefundedAt, string RefundId);

    /// <summary>Up to <paramref name="pageSize"/> + 1 refunds after <paramref name="after"/>,
    /// of <paramref name="orderId"/> when given, so that the caller knows whether another
    /// page follows.</summary>
    public async Task<List<Api.Refund>> PageAsync(
        Caller caller, string? orderId, After? after, int pageSize, CancellationToken cancellationToken)
    {
        var refunds = db.Orders.AsNoTracking().SelectMany(o => o.Refunds, (o, r) => new { Order = o, Refund = r });
        refunds = caller.Role switch
        {
            CallerRole.Marketplace => refunds,
            CallerRole.Seller => refunds.Where(x => EF.Property<string>(x.Refund, OrderDbContext.RefundSellerId) == caller.Id),
            CallerRole.Buyer => refunds.Where(x => EF.Property<string>(x.Refund, OrderDbContext.RefundBuyerId) == caller.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };

        if (orderId is not null)
        {
            refunds = refunds.Where(x => x.Order.Id == orderId);
        }

        if (after is not null)
        {
            // The first condition alone bounds the index range a deep page starts from.
            refunds = refunds.Where(x => x.Refund.RefundedAt <= after.RefundedAt)
                .Where(x => x.Refund.RefundedAt < after.RefundedAt || string.Compare(x.Refund.Id, after.RefundId) < 0);
        }

        var page = await refunds
            .OrderByDescending(x => x.Refund.RefundedAt).ThenByDescending(x => x.Refund.Id)
            .Take(pageSize + 1)
            .Select(x => new { OrderId = x.Order.Id, x.Refund })
            .ToListAsync(cancellationToken);
        return page.Select(x => ContractMapper.ToProto(x.Refund, x.OrderId)).ToList();
    }
}
