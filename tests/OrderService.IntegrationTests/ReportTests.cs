using System.Globalization;
using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>StreamOrderReport (R30, R31): the order report and the unshipped-orders report
/// of the caller's orders, oldest purchase first, never a PENDING order (R1, R3); the R31
/// toggle; resuming after a cursor; the flat file; cancellation and deadlines.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReportTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    /// <summary>One order of the seller in each status, purchased an hour apart (oldest
    /// first), the canceled one after the buyer asked to cancel; and another seller's order.</summary>
    private async Task<Dictionary<OrderStatus, Order>> OrdersInEveryStatus()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        var orders = new Dictionary<OrderStatus, Order>();
        var statuses = new[] { OrderStatus.Pending, OrderStatus.Unshipped, OrderStatus.PartiallyShipped, OrderStatus.Shipped };
        for (var i = 0; i < statuses.Length; i++)
        {
            orders[statuses[i]] = await OrderIn(server, statuses[i], _seller, _buyer, purchasedAt: start.AddHours(i), latestShipAt: start.AddHours(i + 1));
        }

        var canceled = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer, purchasedAt: start.AddHours(4), latestShipAt: start.AddDays(1));
        using var buyer = server.Buyer(_buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(canceled.OrderId, "I ordered the wrong size."));
        using var seller = server.Seller(_seller);
        orders[OrderStatus.Canceled] = (await seller.Orders.CancelOrderAsync(new CancelOrderRequest
        {
            RequestId = RequestId(),
            OrderId = canceled.OrderId,
            Reason = CancelReason.BuyerCanceled,
        })).Order;
        await OrderIn(server, OrderStatus.Unshipped, NewId("S"), _buyer, purchasedAt: start.AddHours(2)); // another seller's
        // Canceled while PENDING at the buyer's request: never authorized, never in a report.
        var neverAuthorized = await OrderIn(server, OrderStatus.Pending, _seller, _buyer, purchasedAt: start.AddHours(5));
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(neverAuthorized.OrderId));
        return orders;
    }

    [Fact]
    public async Task R1_R30_the_order_report_lists_every_authorized_order_of_the_seller_oldest_first_and_no_pending_one()
    {
        var orders = await OrdersInEveryStatus();
        using var seller = server.Seller(_seller);

        var rows = await Rows(seller, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders });

        Assert.Equal(
            new[] { OrderStatus.Unshipped, OrderStatus.PartiallyShipped, OrderStatus.Shipped, OrderStatus.Canceled }.Select(s => orders[s].OrderId),
            rows.Select(r => r.Order.OrderId));
        Assert.DoesNotContain(rows, r => r.Order.OrderId == orders[OrderStatus.Pending].OrderId);
        // Toggle off (R31): nothing about buyer requests, not even on the order.
        Assert.All(rows, r => Assert.Equal((false, "", (BuyerCancellationRequest?)null),
            (r.IsBuyerRequestedCancellation, r.BuyerCancellationReason, r.Order.BuyerCancellationRequest)));
        Assert.All(rows, r => Assert.Equal(0, r.DaysPastPromise));
        using var getter = server.Seller(_seller);
        Assert.Equal(
            (await getter.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orders[OrderStatus.Shipped].OrderId })).Order,
            rows.Single(r => r.Order.OrderId == orders[OrderStatus.Shipped].OrderId).Order);
    }

    [Fact]
    public async Task R31_the_toggle_shows_the_buyers_request_and_reason_also_after_the_order_was_canceled()
    {
        var orders = await OrdersInEveryStatus();
        using var seller = server.Seller(_seller);

        var rows = await Rows(seller, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders, IncludeBuyerCancellationRequest = true });

        var canceled = rows.Single(r => r.Order.OrderId == orders[OrderStatus.Canceled].OrderId);
        Assert.Equal(OrderStatus.Canceled, canceled.Order.Status);
        Assert.Equal((true, "I ordered the wrong size."), (canceled.IsBuyerRequestedCancellation, canceled.BuyerCancellationReason));
        Assert.All(rows.Where(r => r != canceled), r => Assert.Equal((false, ""), (r.IsBuyerRequestedCancellation, r.BuyerCancellationReason)));
    }

    [Fact]
    public async Task R5_R30_the_unshipped_report_lists_orders_with_units_to_ship_with_days_past_the_promise_and_the_auto_cancel_time()
    {
        var orders = await OrdersInEveryStatus();
        using var seller = server.Seller(_seller);

        var rows = await Rows(seller, new StreamOrderReportRequest { ReportType = OrderReportType.UnshippedOrders });

        Assert.Equal([orders[OrderStatus.Unshipped].OrderId, orders[OrderStatus.PartiallyShipped].OrderId], rows.Select(r => r.Order.OrderId));
        foreach (var row in rows)
        {
            var late = DateTimeOffset.UtcNow - row.Order.LatestShipTime.ToDateTimeOffset();
            Assert.InRange(row.DaysPastPromise, (int)late.TotalDays - 1, (int)late.TotalDays); // the test's clock read a moment later
            Assert.Equal(row.Order.LatestShipTime.ToDateTimeOffset().AddDays(7), row.Order.AutoCancelTime.ToDateTimeOffset()); // R5
        }

        Assert.Equal(1, rows[1].Order.Items.Single(i => i.OrderItemId == "A").QuantityUnshipped);
    }

    [Fact]
    public async Task A_report_longer_than_a_page_streams_every_order_once_in_order_and_resumes_after_a_cursor()
    {
        var ids = await SeedOrdersAsync(server, _seller, 450); // the same purchase time: ordered by id
        using var seller = server.Seller(_seller);
        var request = new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders };

        var all = await Rows(seller, request);
        var firstPart = await Rows(seller, request, take: 230);
        var rest = await Rows(seller, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders, ResumeAfter = firstPart[^1].Cursor });

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(r => r.Order.OrderId));
        Assert.Equal(all.Select(r => r.Order.OrderId), firstPart.Concat(rest).Select(r => r.Order.OrderId));
        await Expect.InvalidArgument("resume_after", () => Rows(seller, new StreamOrderReportRequest
        {
            ReportType = OrderReportType.UnshippedOrders,
            ResumeAfter = firstPart[^1].Cursor,
        }));
    }

    public static TheoryData<string, Action<StreamOrderReportRequest>> InvalidReports => new()
    {
        { "report_type", r => r.ReportType = OrderReportType.Unspecified },
        { "report_type", r => r.ReportType = (OrderReportType)9 },
        { "purchase_time_end", r => (r.PurchaseTimeStart, r.PurchaseTimeEnd) = (Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1))) },
        { "resume_after", r => r.ResumeAfter = "not-a-cursor" },
    };

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task An_invalid_report_request_is_invalid_argument_naming_the_field(string field, Action<StreamOrderReportRequest> spoil)
    {
        using var seller = server.Seller(_seller);
        var request = new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders };
        spoil(request);

        await Expect.InvalidArgument(field, () => Rows(seller, request));
    }

    [Fact]
    public async Task Only_a_seller_may_stream_a_report()
    {
        using var buyer = server.Buyer(_buyer);

        var denied = await Assert.ThrowsAsync<RpcException>(() => Rows(buyer, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders }));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task A_client_that_cancels_mid_stream_or_runs_out_of_time_stops_the_report()
    {
        // Long enough (about 1.5 MB) that the server cannot have written it all before the
        // client cancels: the stream ends CANCELLED, not with its last row.
        await SeedOrdersAsync(server, _seller, 2_000);
        using var seller = server.Seller(_seller);
        var request = new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders };

        using (var cancel = new CancellationTokenSource())
        {
            using var call = seller.Orders.StreamOrderReport(request, cancellationToken: cancel.Token);
            for (var i = 0; i < 5; i++)
            {
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            }

            await cancel.CancelAsync();
            var canceled = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            });
            Assert.Equal(StatusCode.Cancelled, canceled.StatusCode);
        }

        // A deadline: a reader slower than its deadline allows gets DEADLINE_EXCEEDED.
        using var late = seller.Orders.StreamOrderReport(request, deadline: DateTime.UtcNow.AddSeconds(2));
        var read = 0;
        var expired = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await late.ResponseStream.MoveNext(CancellationToken.None))
            {
                read++;
                await Task.Delay(20);
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, expired.StatusCode);
        Assert.InRange(read, 1, 1_999);
    }

    [Fact]
    public async Task R30_the_flat_file_has_the_marketplaces_header_and_one_line_per_order_item()
    {
        var purchased = new DateTimeOffset(2026, 11, 27, 9, 30, 15, TimeSpan.Zero);
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer, purchasedAt: purchased);
        using var seller = server.Seller(_seller);
        var output = new StringWriter(CultureInfo.InvariantCulture);

        var lines = await OrderReportFile.WriteAsync(seller.Orders,
            new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders, IncludeBuyerCancellationRequest = true }, output);

        var paid = order.PaymentAuthorizeTime.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        var file = output.ToString().Split('\n');
        Assert.Equal(2, lines);
        Assert.Equal(
            "order-id\torder-item-id\tpurchase-date\tpayments-date\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\titem-tax\t"
            + "shipping-price\tshipping-tax\tship-service-level\trecipient-name\tship-address-1\tship-address-2\tship-address-3\tship-city\t"
            + "ship-state\tship-postal-code\tship-country\tis-buyer-requested-cancellation\tbuyer-requested-cancel-reason",
            file[0]);
        Assert.Equal(
            $"{order.OrderId}\tA\t2026-11-27T09:30:15+00:00\t{paid}\tSKU-A\tTea cup\t2\tJPY\t2198\t\t600\t\t\tHanako Yamada\t1-2-3 Jingumae\t\t\t"
            + "Shibuya-ku\tTokyo\t150-0001\tJP\tfalse\t",
            file[1]);
        Assert.StartsWith($"{order.OrderId}\tB\t", file[2]);
        Assert.Equal([""], file[3..]); // every line, the last included, ends with a line feed
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public async Task R30_the_unshipped_flat_file_adds_units_to_ship_days_past_the_promise_and_the_auto_cancel_date()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var output = new StringWriter(CultureInfo.InvariantCulture);

        await OrderReportFile.WriteAsync(seller.Orders, new StreamOrderReportRequest { ReportType = OrderReportType.UnshippedOrders }, output);

        var file = output.ToString().Split('\n');
        var header = file[0].Split('\t');
        var line = file[1].Split('\t');
        Assert.Equal(["quantity-shipped", "quantity-to-ship", "days-past-promise", "auto-cancel-date"], header[^4..]);
        var autoCancel = order.AutoCancelTime.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        Assert.Equal(["A", "1", "1", "0", autoCancel], [line[1], .. line[^4..]]);
    }

    [Fact]
    public async Task An_empty_report_is_the_header_alone_and_a_tab_inside_a_value_is_quoted_not_a_new_column()
    {
        using var nobody = server.Seller(NewId("S"));
        var empty = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(0, await OrderReportFile.WriteAsync(nobody.Orders, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders }, empty));
        Assert.Equal(string.Join('\t', OrderReportFile.Columns) + "\n", empty.ToString());

        using var marketplace = server.Marketplace();
        var create = CreateOrder(_seller, _buyer);
        create.Items[0].Title = "Tea cup\t\"blue\"";
        var orderId = (await marketplace.Orders.CreateOrderAsync(create)).Order.OrderId;
        await marketplace.Orders.AuthorizePaymentAsync(Authorize(orderId));
        using var seller = server.Seller(_seller);
        var output = new StringWriter(CultureInfo.InvariantCulture);
        await OrderReportFile.WriteAsync(seller.Orders, new StreamOrderReportRequest { ReportType = OrderReportType.AllOrders }, output);

        var line = output.ToString().Split('\n')[1];
        Assert.Contains("\t\"Tea cup\t\"\"blue\"\"\"\t", line);
    }

    private static async Task<List<StreamOrderReportResponse>> Rows(OrderServiceConnection connection, StreamOrderReportRequest request, int take = int.MaxValue)
    {
        using var call = connection.Orders.StreamOrderReport(request);
        var rows = new List<StreamOrderReportResponse>();
        while (rows.Count < take && await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            rows.Add(call.ResponseStream.Current);
        }

        return rows;
    }
}
