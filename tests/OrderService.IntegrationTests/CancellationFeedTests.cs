using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>SubmitCancellationFeed: many cancellations in one request, each line with its
/// own result, the same one CancelOrder would give, and one bad line never undoing the
/// others (R10). The feed as a whole is idempotent by request_id.</summary>
[Collection(ServerCollection.Name)]
public sealed class CancellationFeedTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R10_each_line_gets_the_answer_CancelOrder_would_give_and_a_bad_line_never_undoes_the_others()
    {
        var good = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var unknown = NewId("missing");
        var reserved = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var othersOrder = await OrderIn(server, OrderStatus.Unshipped, NewId("S"), _buyer);
        var byMessage = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = Feed(
            Line(good.OrderId),
            Line(shipped.OrderId),
            Line(unknown),
            Line(reserved.OrderId, CancelReason.ShipDateMissed),
            Line(othersOrder.OrderId),
            Line(byMessage.OrderId, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage));

        var answer = await seller.Orders.SubmitCancellationFeedAsync(feed);

        Assert.Equal(new FeedSummary { Lines = 6, Accepted = 2, Failed = 4 }, answer.Summary);
        Assert.Equal([1, 2, 3, 4, 5, 6], answer.Results.Select(r => r.LineNumber));
        Assert.Equal(feed.Lines.Select(l => l.OrderId), answer.Results.Select(r => r.OrderId));
        Assert.Equal(0, answer.Results[0].Status.Code);
        Assert.Equal(0, answer.Results[5].Status.Code);
        var shippedInfo = Expect.Refused(answer.Results[1].Status, StatusCode.FailedPrecondition, "ORDER_SHIPPED");
        Assert.Equal("T3", shippedInfo.Metadata["reply_template"]);
        Expect.Refused(answer.Results[2].Status, StatusCode.NotFound, "ORDER_NOT_FOUND");
        Expect.Refused(answer.Results[3].Status, StatusCode.InvalidArgument, "REASON_RESERVED");
        var badRequest = answer.Results[3].Status.GetDetail<Google.Rpc.BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains("reason", badRequest.FieldViolations.Select(v => v.Field));
        Expect.Refused(answer.Results[4].Status, StatusCode.NotFound, "ORDER_NOT_FOUND");

        // The contract: "the same status (code, message and details) the single-order RPC
        // would have returned".
        Assert.Equal(await SingleCancelStatus(seller, Cancel(shipped.OrderId)), answer.Results[1].Status);
        Assert.Equal(await SingleCancelStatus(seller, Cancel(unknown)), answer.Results[2].Status);
        Assert.Equal(await SingleCancelStatus(seller, Cancel(reserved.OrderId, CancelReason.ShipDateMissed)), answer.Results[3].Status);
        Assert.Equal(await SingleCancelStatus(seller, Cancel(othersOrder.OrderId)), answer.Results[4].Status);

        var goodAfter = await Read(seller, good.OrderId);
        Assert.Equal(OrderStatus.Canceled, goodAfter.Status);
        Assert.Equal(CancellationExecutor.Seller, goodAfter.Cancellation.Executor);
        Assert.Equal(CancelReason.NoInventory, goodAfter.Cancellation.Reason);
        var byMessageAfter = await Read(seller, byMessage.OrderId);
        Assert.Equal(CancellationRequester.BuyerMessage, byMessageAfter.Cancellation.Requester);
        Assert.True(byMessageAfter.Cancellation.CountsAgainstSellerRate); // R15
        Assert.Equal(shipped.Etag, (await Read(seller, shipped.OrderId)).Etag);
        Assert.Equal(reserved.Etag, (await Read(seller, reserved.OrderId)).Etag);
        using var otherSeller = server.Seller(othersOrder.SellerId);
        Assert.Equal(othersOrder.Etag, (await Read(otherSeller, othersOrder.OrderId)).Etag);
        Assert.Equal(1, await CanceledEvents(good.OrderId));
    }

    [Fact]
    public async Task R10_a_replayed_feed_returns_the_identical_answer_and_cancels_nothing_more()
    {
        var first = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var second = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = Feed(Line(first.OrderId), Line(shipped.OrderId), Line(second.OrderId));

        var answer = await seller.Orders.SubmitCancellationFeedAsync(feed);
        var replay = await seller.Orders.SubmitCancellationFeedAsync(feed);

        Assert.Equal(answer, replay);
        Assert.Equal(2, answer.Summary.Accepted);
        Assert.Equal(1, await CanceledEvents(first.OrderId));
        Assert.Equal(1, await CanceledEvents(second.OrderId));
    }

    [Fact]
    public async Task A_feed_request_id_reused_with_other_lines_is_already_exists_and_cancels_nothing()
    {
        var first = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var second = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = Feed(Line(first.OrderId));
        await seller.Orders.SubmitCancellationFeedAsync(feed);
        var other = Feed(Line(second.OrderId));
        other.RequestId = feed.RequestId;

        var error = await Expect.Failure(StatusCode.AlreadyExists, "REQUEST_ID_REUSED",
            () => seller.Orders.SubmitCancellationFeedAsync(other).ResponseAsync);

        Assert.Contains("request_id", error.InvalidFields());
        Assert.Equal(OrderStatus.Unshipped, (await Read(seller, second.OrderId)).Status);
    }

    [Fact]
    public async Task A_feed_request_id_reused_after_a_crash_with_the_same_first_chunk_is_already_exists()
    {
        // A feed of two chunks whose first chunk committed before the server died: simulated
        // by removing the feed's own stored answer and keeping the chunks'.
        var later = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var firstChunk = Enumerable.Range(0, 500).Select(i => Line($"250-missing-{i:D4}")).ToArray();
        var feed = Feed([.. firstChunk, Line(NewId("250"))]);
        await seller.Orders.SubmitCancellationFeedAsync(feed);
        await server.QueryDatabaseAsync(db => db.IdempotencyRecords
            .Where(r => r.RequestId == feed.RequestId).ExecuteDeleteAsync());

        var other = Feed([.. firstChunk, Line(later.OrderId)]);
        other.RequestId = feed.RequestId;

        await Expect.Failure(StatusCode.AlreadyExists, "REQUEST_ID_REUSED",
            () => seller.Orders.SubmitCancellationFeedAsync(other).ResponseAsync);
        Assert.Equal(OrderStatus.Unshipped, (await Read(seller, later.OrderId)).Status);
    }

    [Fact]
    public async Task R10_validate_only_checks_every_line_as_the_real_feed_would_and_changes_nothing()
    {
        var good = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var alsoGood = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var lines = new[]
        {
            Line(good.OrderId), Line(pending.OrderId), Line(shipped.OrderId),
            Line(NewId("missing")), Line(alsoGood.OrderId, CancelReason.PaymentNotAuthorized), Line(alsoGood.OrderId),
        };
        var preview = Feed(lines);
        preview.ValidateOnly = true;

        var checkedOnly = await seller.Orders.SubmitCancellationFeedAsync(preview);

        Assert.Equal(new FeedSummary { Lines = 6, Accepted = 2, Failed = 4 }, checkedOnly.Summary);
        Assert.Equal(0, checkedOnly.Results[0].Status.Code);
        Expect.Refused(checkedOnly.Results[1].Status, StatusCode.FailedPrecondition, "ORDER_PENDING");
        Expect.Refused(checkedOnly.Results[2].Status, StatusCode.FailedPrecondition, "ORDER_SHIPPED");
        Expect.Refused(checkedOnly.Results[3].Status, StatusCode.NotFound, "ORDER_NOT_FOUND");
        Expect.Refused(checkedOnly.Results[4].Status, StatusCode.InvalidArgument, "REASON_RESERVED");
        Assert.Equal(0, checkedOnly.Results[5].Status.Code);
        foreach (var order in new[] { good, pending, shipped, alsoGood })
        {
            Assert.Equal(order.Etag, (await Read(seller, order.OrderId)).Etag);
        }

        Assert.Equal(0, await CanceledEvents(good.OrderId));

        var real = await seller.Orders.SubmitCancellationFeedAsync(Feed(lines));

        Assert.Equal(checkedOnly.Summary, real.Summary);
        Assert.Equal(
            checkedOnly.Results.Select(r => (r.LineNumber, r.Status.Code, r.Status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason)),
            real.Results.Select(r => (r.LineNumber, r.Status.Code, r.Status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason)));
        Assert.Equal(OrderStatus.Canceled, (await Read(seller, good.OrderId)).Status);
        Assert.Equal(OrderStatus.Canceled, (await Read(seller, alsoGood.OrderId)).Status);
    }

    [Fact]
    public async Task R10_R16_validate_only_applies_the_lines_in_order_so_a_second_line_for_one_order_fails_as_in_the_real_run()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var other = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var lines = new[]
        {
            Line(order.OrderId),
            Line(order.OrderId, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage),
            Line(other.OrderId),
        };
        var preview = Feed(lines);
        preview.ValidateOnly = true;

        var checkedOnly = await seller.Orders.SubmitCancellationFeedAsync(preview);

        Assert.Equal(new FeedSummary { Lines = 3, Accepted = 2, Failed = 1 }, checkedOnly.Summary);
        Assert.Equal(0, checkedOnly.Results[0].Status.Code);
        var info = Expect.Refused(checkedOnly.Results[1].Status, StatusCode.FailedPrecondition, "ORDER_CANCELED");
        Assert.Equal("T5", info.Metadata["reply_template"]);
        Assert.Equal(0, checkedOnly.Results[2].Status.Code);
        Assert.Equal(order.Etag, (await Read(seller, order.OrderId)).Etag); // nothing saved
        Assert.Equal(other.Etag, (await Read(seller, other.OrderId)).Etag);
        Assert.Equal(0, await CanceledEvents(order.OrderId));

        var real = await seller.Orders.SubmitCancellationFeedAsync(Feed(lines));

        Assert.Equal(checkedOnly.Summary, real.Summary);
        Assert.Equal(Outcomes(checkedOnly), Outcomes(real));
        Assert.Equal(1, await CanceledEvents(order.OrderId));
    }

    /// <summary>The example of the issue: 40 authorized orders, none canceled. The first line
    /// takes the rate from 0 to 1/40 = 250 bp and crosses the target; the second from there
    /// to 500 and does not (it was not met any more). A refused line has neither.</summary>
    [Fact]
    public async Task R17_each_accepted_line_carries_its_cancellation_and_the_rate_as_the_earlier_lines_left_it()
    {
        var ids = await SeedOrdersAsync(server, _seller, 40);
        using var seller = server.Seller(_seller);
        var lines = new[] { Line(ids[0]), Line(ids[1]), Line(ids[0]) };
        var preview = Feed(lines);
        preview.ValidateOnly = true;

        var checkedOnly = await seller.Orders.SubmitCancellationFeedAsync(preview);
        var real = await seller.Orders.SubmitCancellationFeedAsync(Feed(lines));

        foreach (var answer in new[] { checkedOnly, real })
        {
            Assert.Equal([(0, 250, true), (250, 500, false)], answer.Results.Take(2).Select(r =>
                (r.RateImpact.RateBeforeBasisPoints, r.RateImpact.RateAfterBasisPoints, r.RateImpact.CrossesTarget)));
            Assert.All(answer.Results.Take(2), r =>
            {
                Assert.True(r.RateImpact.CountsAgainstSellerRate);
                Assert.Equal(250, r.RateImpact.TargetBasisPoints);
                Assert.Equal(CancelReason.NoInventory, r.Cancellation.Reason);
                Assert.Equal(CancellationRequester.Seller, r.Cancellation.Requester);
                Assert.Equal(CancellationExecutor.Seller, r.Cancellation.Executor);
                Assert.True(r.Cancellation.CountsAgainstSellerRate);
                Assert.True(r.Cancellation.WholeOrder);
                Assert.Equal([("A", 1)], r.Cancellation.Units.Select(u => (u.OrderItemId, u.Quantity)));
            });
            Expect.Refused(answer.Results[2].Status, StatusCode.FailedPrecondition, "ORDER_CANCELED");
            Assert.Null(answer.Results[2].Cancellation);
            Assert.Null(answer.Results[2].RateImpact);
        }

        Assert.Equal(Outcomes(checkedOnly), Outcomes(real));
        var stored = await Read(seller, ids[0]);
        Assert.Equal(stored.Cancellation, real.Results[0].Cancellation);
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Equal(500, metrics.RateBasisPoints); // where the last accepted line left it
    }

    /// <summary>Across the feed's chunks of 500 lines: 501 orders and a 502nd line repeating
    /// the first. Line k takes the rate from (k-1)/501 to k/501 in both modes (the real run
    /// commits the first chunk before the second starts), and the repeated line is
    /// ORDER_CANCELED in both.</summary>
    [Fact]
    public async Task R10_R17_validate_only_and_the_real_run_agree_across_chunks()
    {
        const int count = 501;
        var ids = await SeedOrdersAsync(server, _seller, count);
        using var seller = server.Seller(_seller);
        var lines = ids.Select(id => Line(id)).Append(Line(ids[0])).ToArray();
        var preview = Feed(lines);
        preview.ValidateOnly = true;

        var checkedOnly = await seller.Orders.SubmitCancellationFeedAsync(preview);
        Assert.Equal(0, await server.QueryDatabaseAsync(db => db.Orders.CountAsync(o => o.SellerId == _seller && o.Status != Domain.OrderStatus.Unshipped)));
        var real = await seller.Orders.SubmitCancellationFeedAsync(Feed(lines));

        foreach (var answer in new[] { checkedOnly, real })
        {
            Assert.Equal(new FeedSummary { Lines = count + 1, Accepted = count, Failed = 1 }, answer.Summary);
            var expected = Enumerable.Range(1, count).Select(k =>
            {
                var (before, after) = (BasisPoints(k - 1, count), BasisPoints(k, count));
                return (k, before, after, before < 250 && after >= 250);
            });
            Assert.Equal(expected, answer.Results.Take(count).Select(r =>
                (r.LineNumber, r.RateImpact.RateBeforeBasisPoints, r.RateImpact.RateAfterBasisPoints, r.RateImpact.CrossesTarget)));
            Expect.Refused(answer.Results[count].Status, StatusCode.FailedPrecondition, "ORDER_CANCELED");
        }

        Assert.Equal(Outcomes(checkedOnly), Outcomes(real));
    }

    public static TheoryData<string, Action<SubmitCancellationFeedRequest>> InvalidFeeds => new()
    {
        { "request_id", r => r.RequestId = "" },
        { "request_id", r => r.RequestId = "not-a-uuid" },
        { "lines", r => r.Lines.Clear() },
        { "lines", r => r.Lines.AddRange(Enumerable.Range(0, 20_000).Select(_ => Line(NewId("250")))) }, // 20,001
    };

    [Theory]
    [MemberData(nameof(InvalidFeeds))]
    public async Task R10_an_invalid_feed_is_invalid_argument_naming_the_field_and_cancels_nothing(string field, Action<SubmitCancellationFeedRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = Feed(Line(order.OrderId));
        spoil(feed);

        await Expect.InvalidArgument(field, () => seller.Orders.SubmitCancellationFeedAsync(feed).ResponseAsync);

        Assert.Equal(OrderStatus.Unshipped, (await Read(seller, order.OrderId)).Status);
    }

    [Fact]
    public async Task Only_a_seller_may_submit_a_cancellation_feed()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var marketplace = server.Marketplace();

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => buyer.Orders.SubmitCancellationFeedAsync(Feed(Line(order.OrderId))).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => marketplace.Orders.SubmitCancellationFeedAsync(Feed(Line(order.OrderId))).ResponseAsync);

        Assert.Equal(OrderStatus.Unshipped, (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Status);
    }

    /// <summary>10,000 lines, one in every 200 bad (50 in all, 10 of each kind): an unknown
    /// order, another seller's order, a reserved reason, a requester the seller may not
    /// name, an order already shipped. The 9,950 good ones are canceled, every bad line is
    /// reported where it is, and the orders the bad lines named are untouched.</summary>
    [Fact]
    public async Task R10_a_ten_thousand_line_feed_cancels_every_good_order_and_reports_each_bad_line()
    {
        const int count = 10_000;
        var ids = await SeedOrdersAsync(server, _seller, count);
        var otherSeller = NewId("S");
        var othersIds = await SeedOrdersAsync(server, otherSeller, 10);
        using var seller = server.Seller(_seller);

        static int KindOf(int line) => line % 200 == 100 ? line / 200 % 5 : -1;
        const int unknownKind = 0, othersKind = 1, reservedKind = 2, requesterKind = 3, shippedKind = 4;
        for (var i = 0; i < count; i++)
        {
            if (KindOf(i) == shippedKind)
            {
                await seller.Orders.ConfirmShipmentAsync(Ship(ids[i], ("A", 1)));
            }
        }

        var feed = new SubmitCancellationFeedRequest { RequestId = RequestId() };
        var expected = new List<(StatusCode Code, string Reason)>(count);
        var nextOthers = 0;
        for (var i = 0; i < count; i++)
        {
            switch (KindOf(i))
            {
                case unknownKind:
                    feed.Lines.Add(Line(NewId("missing")));
                    expected.Add((StatusCode.NotFound, "ORDER_NOT_FOUND"));
                    break;
                case othersKind:
                    feed.Lines.Add(Line(othersIds[nextOthers++]));
                    expected.Add((StatusCode.NotFound, "ORDER_NOT_FOUND"));
                    break;
                case reservedKind:
                    feed.Lines.Add(Line(ids[i], CancelReason.ShipDateMissed));
                    expected.Add((StatusCode.InvalidArgument, "REASON_RESERVED"));
                    break;
                case requesterKind:
                    feed.Lines.Add(Line(ids[i], requester: CancellationRequester.BuyerOfficial));
                    expected.Add((StatusCode.InvalidArgument, "REQUESTER_NOT_ALLOWED"));
                    break;
                case shippedKind:
                    feed.Lines.Add(Line(ids[i]));
                    expected.Add((StatusCode.FailedPrecondition, "ORDER_SHIPPED"));
                    break;
                default:
                    feed.Lines.Add(Line(ids[i]));
                    expected.Add((StatusCode.OK, ""));
                    break;
            }
        }

        Assert.True(feed.CalculateSize() < 4 * 1024 * 1024, "the feed must fit gRPC's default 4 MB request limit");

        var answer = await seller.Orders.SubmitCancellationFeedAsync(feed);

        Assert.Equal(new FeedSummary { Lines = count, Accepted = count - 50, Failed = 50 }, answer.Summary);
        Assert.Equal(count, answer.Results.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var result = answer.Results[i];
            var reason = result.Status?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";
            var code = (StatusCode)(result.Status?.Code ?? -1);
            if (result.LineNumber != i + 1 || result.OrderId != feed.Lines[i].OrderId || code != expected[i].Code || reason != expected[i].Reason)
            {
                mismatches.Add($"line {i + 1}: expected {expected[i].Code} {expected[i].Reason} for {feed.Lines[i].OrderId}, got #{result.LineNumber} {result.OrderId} {code} {reason}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} line results are wrong, first ones:\n{string.Join("\n", mismatches.Take(20))}");

        // In the database: 9,950 canceled, the 40 the bad lines named or skipped still
        // unshipped, the 10 shipped still shipped; each cancellation notified once (R11).
        var byStatus = await server.QueryDatabaseAsync(async db => (await db.Orders
            .Where(o => o.SellerId == _seller)
            .GroupBy(o => o.Status)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync()).ToDictionary(g => g.Key, g => g.Count));
        Assert.Equal(count - 50, byStatus.GetValueOrDefault(Domain.OrderStatus.Canceled));
        Assert.Equal(40, byStatus.GetValueOrDefault(Domain.OrderStatus.Unshipped));
        Assert.Equal(10, byStatus.GetValueOrDefault(Domain.OrderStatus.Shipped));
        var othersCanceled = await server.QueryDatabaseAsync(db =>
            db.Orders.CountAsync(o => o.SellerId == otherSeller && o.Status != Domain.OrderStatus.Unshipped));
        Assert.Equal(0, othersCanceled);
        var canceledEvents = await server.QueryDatabaseAsync(db =>
            db.OrderEvents.CountAsync(e => e.SellerId == _seller && e.Type == "OrderCanceled"));
        Assert.Equal(count - 50, canceledEvents);
    }

    private static CancellationFeedLine Line(
        string orderId,
        CancelReason reason = CancelReason.NoInventory,
        CancellationRequester requester = CancellationRequester.Seller) =>
        new() { OrderId = orderId, Reason = reason, Requester = requester };

    private static SubmitCancellationFeedRequest Feed(params CancellationFeedLine[] lines)
    {
        var feed = new SubmitCancellationFeedRequest { RequestId = RequestId() };
        feed.Lines.AddRange(lines.Select(l => l.Clone()));
        return feed;
    }

    /// <summary>The google.rpc.Status a single CancelOrder of the same line fails with.</summary>
    private static async Task<Google.Rpc.Status> SingleCancelStatus(OrderServiceConnection seller, CancelOrderRequest request)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => seller.Orders.CancelOrderAsync(request).ResponseAsync);
        return error.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException($"no google.rpc.Status on {error.Status}");
    }

    /// <summary>What a feed did per line, without the instants: status code and ErrorInfo
    /// reason, the cancellation's attribution and the rate impact.</summary>
    private static List<string> Outcomes(SubmitCancellationFeedResponse answer) =>
        answer.Results.Select(r => string.Join(" ",
            r.LineNumber,
            r.OrderId,
            (StatusCode)r.Status.Code,
            r.Status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "-",
            r.Cancellation is { } c ? $"{c.Reason}/{c.Requester}/{c.Executor}/{c.CountsAgainstSellerRate}/{c.WholeOrder}/{c.Units}" : "-",
            r.RateImpact?.ToString() ?? "-")).ToList();

    private static async Task<Order> Read(OrderServiceConnection connection, string orderId) =>
        (await connection.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order;

    private Task<int> CanceledEvents(string orderId) => EventCount(server, orderId, "OrderCanceled");
}
