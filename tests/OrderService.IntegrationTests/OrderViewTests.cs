using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Application.Access;
using OrderService.Application.Mapping;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>GetOrder and ListOrders answer from the order's stored view, rendered in the
/// transaction of every change: it must always be the order exactly as read whole and
/// mapped, and a view that is missing, of another format or older than the order must never
/// be answered.</summary>
[Collection(ServerCollection.Name)]
public sealed class OrderViewTests(ServerFixture server)
{
    private static readonly Caller Everyone = new(CallerRole.Marketplace, "order-view-tests");

    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    public static TheoryData<OrderStatus, bool> States => new()
    {
        { OrderStatus.Pending, false },
        { OrderStatus.Unshipped, false },
        { OrderStatus.Unshipped, true },
        { OrderStatus.PartiallyShipped, false },
        { OrderStatus.Shipped, false },
        { OrderStatus.Canceled, false },
    };

    [Theory]
    [MemberData(nameof(States))]
    public async Task R1_R18_the_stored_view_after_each_step_is_the_order_read_whole_and_is_what_GetOrder_and_ListOrders_answer(
        OrderStatus status, bool buyerRequested)
    {
        var orderId = (await OrderIn(server, status, _seller, _buyer)).OrderId;
        if (buyerRequested)
        {
            using var buyer = server.Buyer(_buyer);
            await buyer.Orders.RequestCancellationAsync(BuyerRequest(orderId));
        }

        var (format, view) = await StoredViewOf(orderId);
        var whole = await ReadWhole(orderId);
        using var seller = server.Seller(_seller);
        var got = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;
        var listed = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest())).Orders;

        Assert.Equal(OrderViews.CurrentFormat, format);
        Assert.Equal(whole, Order.Parser.ParseFrom(view));
        Assert.Equal(whole, got);
        Assert.Equal(whole, Assert.Single(listed));
        Assert.Equal(status, got.Status);
        Assert.Equal(buyerRequested, got.BuyerCancellationRequest is not null);
    }

    [Fact]
    public async Task A_missing_foreign_or_outdated_view_is_never_answered_and_the_renderer_brings_each_up_to_date()
    {
        var missing = (await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer)).OrderId;
        var outdated = (await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer)).OrderId;
        var foreign = (await OrderIn(server, OrderStatus.Shipped, _seller, _buyer)).OrderId;
        var othersView = (await StoredViewOf(missing)).View;
        await server.QueryDatabaseAsync(async db =>
        {
            // Written before views existed.
            await db.Orders.Where(o => o.Id == missing).ExecuteUpdateAsync(s => s
                .SetProperty(o => EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn), 0)
                .SetProperty(o => EF.Property<byte[]?>(o, IOrderViewRenderer.ViewColumn), (byte[]?)null));
            // Changed by a build that does not render views: the order's version moved on.
            await db.Orders.Where(o => o.Id == outdated).ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version + 1));
            // Rendered in another format (another contract or mapping): here, wrong content.
            await db.Orders.Where(o => o.Id == foreign).ExecuteUpdateAsync(s => s
                .SetProperty(o => EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn), OrderViews.CurrentFormat ^ 1)
                .SetProperty(o => EF.Property<byte[]?>(o, IOrderViewRenderer.ViewColumn), othersView));
            return 0;
        });
        using var seller = server.Seller(_seller);

        foreach (var orderId in new[] { missing, outdated, foreign })
        {
            var whole = await ReadWhole(orderId);
            Assert.Equal(whole, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order);
        }

        var listed = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest())).Orders;
        Assert.Equal([foreign, outdated, missing], listed.Select(o => o.OrderId).OrderBy(id => id == foreign ? 0 : id == outdated ? 1 : 2));
        Assert.Equal("4", listed.Single(o => o.OrderId == outdated).Etag); // created 1, authorized 2, shipped 3, then + 1 by hand
        foreach (var order in listed)
        {
            Assert.Equal(await ReadWhole(order.OrderId), order);
        }

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var renderer = scope.ServiceProvider.GetRequiredService<RenderStaleViews>();
            for (var after = ""; after is not null;)
            {
                after = await renderer.RenderBatchAsync(after, CancellationToken.None);
            }
        }

        foreach (var orderId in new[] { missing, outdated, foreign })
        {
            var (format, view) = await StoredViewOf(orderId);
            Assert.Equal(OrderViews.CurrentFormat, format);
            Assert.Equal(await ReadWhole(orderId), Order.Parser.ParseFrom(view));
        }
    }

    /// <summary>Scale-out (issue 13): instances started together after an upgrade take turns
    /// rendering the stale views. While another runner holds the rendering lock (on
    /// PostgreSQL another instance, here a second <see cref="PassLocks"/> on the database; on
    /// SQLite a runner in the same process) an instance waits and renders nothing; once the
    /// lock is free it renders what is still stale.</summary>
    [Fact]
    public async Task Stale_views_wait_for_the_rendering_lock_another_runner_holds_and_are_rendered_once_it_is_free()
    {
        await using var isolated = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?> { ["AutoCancel:Enabled"] = "false" });
        var orderId = (await OrderIn(isolated, OrderStatus.Unshipped, _seller, _buyer)).OrderId;
        await isolated.QueryDatabaseAsync(db => db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s
            .SetProperty(o => EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn), 0)
            .SetProperty(o => EF.Property<byte[]?>(o, IOrderViewRenderer.ViewColumn), (byte[]?)null)));
        var otherRunner = isolated.Provider == DatabaseProvider.Postgres
            ? new PassLocks(isolated.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>())
            : isolated.Services.GetRequiredService<PassLocks>();
        var renderer = isolated.Services.GetRequiredService<OrderService.Server.Services.OrderViewRenderer>();

        Task<int> rendering;
        var (held, _) = await otherRunner.TryAcquireAsync(PassLocks.RenderViews, CancellationToken.None);
        await using (held)
        {
            Assert.NotNull(held);
            rendering = renderer.RenderAllStaleAsync(CancellationToken.None);
            // Two of its turns to ask for the lock go by: it waits, and the view stays stale.
            await Task.Delay(OrderService.Server.Services.OrderViewRenderer.LockRetryInterval * 2);
            Assert.False(rendering.IsCompleted, "the renderer did not wait for the lock another runner held");
            Assert.Equal(0, (await ViewOf(isolated, orderId)).Format);
        }

        Assert.Equal(1, await rendering.WaitAsync(TimeSpan.FromSeconds(30)));
        var (format, view) = await ViewOf(isolated, orderId);
        Assert.Equal(OrderViews.CurrentFormat, format);
        using var seller = isolated.Seller(_seller);
        Assert.Equal((await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order, Order.Parser.ParseFrom(view));
    }

    private static Task<(int Format, byte[] View)> ViewOf(ServerFixture on, string orderId) =>
        on.QueryDatabaseAsync(async db =>
        {
            var row = await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
                .Select(o => new { Format = EF.Property<int>(o, IOrderViewRenderer.ViewFormatColumn), View = EF.Property<byte[]?>(o, IOrderViewRenderer.ViewColumn) })
                .SingleAsync();
            return (row.Format, row.View ?? []);
        });

    [Fact]
    public async Task Items_come_back_in_the_order_the_marketplace_gave_them_and_charges_by_component_however_they_are_read()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        var first = request.Items[0].Clone();
        first.OrderItemId = "0-first-by-id";
        first.UnitCharges.Clear();
        first.UnitCharges.Add(new ChargeAmount { Component = ChargeComponent.Shipping, Amount = Yen(300) });
        first.UnitCharges.Add(new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(1099) });
        var (a, b) = (request.Items[0], request.Items[1]);
        request.Items.Clear();
        request.Items.Add(b);
        request.Items.Add(first);
        request.Items.Add(a);
        var orderId = (await marketplace.Orders.CreateOrderAsync(request)).Order.OrderId;
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(orderId));
        using var seller = server.Seller(_seller);
        await seller.Orders.ConfirmShipmentAsync(Ship(orderId, ("B", 1), ("A", 1)));

        var answers = new List<Order>
        {
            (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order,
            Assert.Single((await seller.Orders.ListOrdersAsync(new ListOrdersRequest())).Orders),
            await ReadWhole(orderId),
            await server.QueryDatabaseAsync(async db => ContractMapper.ToProto(await db.Orders.AsNoTracking().AsSplitQuery().SingleAsync(o => o.Id == orderId))),
            await server.QueryDatabaseAsync(async db => ContractMapper.ToProto(await db.Orders.AsNoTracking().AsSingleQuery().SingleAsync(o => o.Id == orderId))),
        };

        Assert.All(answers, order =>
        {
            Assert.Equal(["B", "0-first-by-id", "A"], order.Items.Select(i => i.OrderItemId));
            Assert.Equal([ChargeComponent.Principal, ChargeComponent.Shipping], order.Items[1].UnitCharges.Select(c => c.Component));
            Assert.Equal(["A", "B"], Assert.Single(order.Shipments).Lines.Select(l => l.OrderItemId));
            Assert.Equal(answers[0], order);
        });
    }

    private Task<(int Format, byte[] View)> StoredViewOf(string orderId) => ViewOf(server, orderId);

    private async Task<Order> ReadWhole(string orderId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return ContractMapper.ToProto(await scope.ServiceProvider.GetRequiredService<OrderRepository>().ReadVisibleAsync(Everyone, orderId, CancellationToken.None));
    }
}
