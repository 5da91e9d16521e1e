using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Application.Access;
using OrderService.Application.Cancellations;
using OrderService.Application.Feeds;
using OrderService.Application.Idempotency;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The feed engine on its own (R10: one bad line never undoes the others), run
/// inside the server on its database with a probe feed of two-line chunks: a crash between
/// chunks, a retry, a request_id reused for another feed, a line the database refuses, and
/// a line whose order ships while the feed runs.</summary>
[Collection(ServerCollection.Name)]
public sealed class FeedRunnerTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    private Caller Seller => new(CallerRole.Seller, _seller);

    [Fact]
    public async Task R10_a_feed_that_crashed_between_chunks_resumes_after_the_chunks_that_committed()
    {
        var ids = await UnshippedOrders(5);
        var lines = ids.Select(id => new ProbeLine(id)).ToList();
        lines[2] = lines[2] with { CrashesOnce = true }; // the first line of the second chunk
        var key = Key(ids);
        var crashes = new ProbeState();

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(key, lines, crashes));
        Assert.Equal(1, await CancellationActs(ids[0]));
        Assert.Equal(1, await CancellationActs(ids[1]));
        Assert.Equal(0, await CancellationActs(ids[2])); // its chunk rolled back whole
        Assert.Equal(0, await CancellationActs(ids[4]));

        var answer = await RunAsync(key, lines, crashes);

        Assert.Equal(new FeedSummary { Lines = 5, Accepted = 5, Failed = 0 }, answer.Summary);
        Assert.Equal([1, 2, 3, 4, 5], answer.Results.Select(r => r.LineNumber));
        Assert.All(answer.Results, r => Assert.Equal(0, r.Status.Code));
        foreach (var id in ids)
        {
            Assert.Equal(1, await CancellationActs(id)); // the first chunk was replayed, not applied again
        }

        Assert.Equal([ids[2], ids[3], ids[4]], crashes.AppliedAfterCrash);
    }

    [Fact]
    public async Task R10_a_retried_feed_gets_the_stored_answer_and_applies_nothing_again()
    {
        var ids = await UnshippedOrders(3);
        var lines = ids.Select(id => new ProbeLine(id)).ToList();
        var key = Key(ids);
        var state = new ProbeState();

        var first = await RunAsync(key, lines, state);
        var applied = state.Applied;
        var retry = await RunAsync(key with { RequestId = key.RequestId.ToUpperInvariant() }, lines, state);

        Assert.Equal(first, retry);
        Assert.Equal(3, first.Summary.Accepted);
        Assert.Equal(applied, state.Applied);
    }

    [Fact]
    public async Task A_request_id_reused_for_another_feed_is_refused_and_applies_nothing()
    {
        var ids = await UnshippedOrders(3);
        var key = Key(ids[..2]);
        await RunAsync(key, ids[..2].Select(id => new ProbeLine(id)).ToList(), new ProbeState());

        var other = key with { Request = new SubmitCancellationFeedRequest { RequestId = key.RequestId, Lines = { ids.Select(id => new CancellationFeedLine { OrderId = id }) } } };
        var refusal = await Assert.ThrowsAsync<Domain.DomainException>(() => RunAsync(other, ids.Select(id => new ProbeLine(id)).ToList(), new ProbeState()));

        Assert.Equal(Domain.ErrorKind.AlreadyExists, refusal.Kind);
        Assert.Equal("REQUEST_ID_REUSED", refusal.Reason);
        Assert.Equal(0, await CancellationActs(ids[2]));
    }

    [Fact]
    public async Task R10_a_line_the_database_refuses_stays_with_its_line_and_the_others_commit()
    {
        var ids = await UnshippedOrders(4);
        var lines = ids.Select(id => new ProbeLine(id)).ToList();
        lines[1] = lines[1] with { RefusedByDatabase = true }; // shares its chunk with line 1
        var key = Key(ids);
        var state = new ProbeState { TakenRequestId = RequestId() };
        await server.QueryDatabaseAsync(async db =>
        {
            db.IdempotencyRecords.Add(TakenKey(state.TakenRequestId, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

        var answer = await RunAsync(key, lines, state);

        Assert.Equal(new FeedSummary { Lines = 4, Accepted = 3, Failed = 1 }, answer.Summary);
        Expect.Refused(answer.Results[1].Status, StatusCode.Aborted, "WRITE_CONFLICT");
        Assert.Equal(1, await CancellationActs(ids[0]));
        Assert.Equal(0, await CancellationActs(ids[1]));
        Assert.Equal(1, await CancellationActs(ids[2]));
        Assert.Equal(1, await CancellationActs(ids[3]));

        // The refused line is not stored: the same request_id tries it again and replays
        // the rest.
        var retry = await RunAsync(key, lines, state);
        Assert.Equal(answer.Summary, retry.Summary);
        Assert.Equal(1, await CancellationActs(ids[0]));
    }

    [Fact]
    public async Task R10_a_line_whose_order_ships_while_the_feed_runs_gets_what_CancelOrder_would_answer()
    {
        var shipping = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var other = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var shipped = false;

        await using var scope = server.Services.CreateAsyncScope();
        var feed = new ShipsWhileLoaded(scope.ServiceProvider.GetRequiredService<CancellationFeed>(), async () =>
        {
            if (!shipped)
            {
                shipped = true;
                await seller.Orders.ConfirmShipmentAsync(Ship(shipping.OrderId, ("A", 2), ("B", 1)));
            }
        });
        var lines = new List<FeedLine<SellerCancellation>>
        {
            new(1, shipping.OrderId, new SellerCancellation(shipping.OrderId, Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, ""), null),
            new(2, other.OrderId, new SellerCancellation(other.OrderId, Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, ""), null),
        };

        var answer = await scope.ServiceProvider.GetRequiredService<FeedRunner>()
            .RunAsync<SellerCancellation, SubmitCancellationFeedResponse>(Seller, Key([shipping.OrderId, other.OrderId]), lines, false, feed, CancellationToken.None);

        Assert.True(shipped);
        var single = await Assert.ThrowsAsync<RpcException>(() => seller.Orders.CancelOrderAsync(Cancel(shipping.OrderId)).ResponseAsync);
        Assert.Equal(single.GetRpcStatus(), answer.Results[0].Status);
        Expect.Refused(answer.Results[0].Status, StatusCode.FailedPrecondition, "ORDER_SHIPPED");
        Assert.Equal(0, answer.Results[1].Status.Code);
        Assert.Equal(OrderStatus.Shipped, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = shipping.OrderId })).Order.Status);
    }

    /// <summary>The feed carries the seller's rate from chunk to chunk instead of reading
    /// it again. Every line is dated when the feed was received, and judged over the 7 days
    /// up to then (R17): a cancellation another request makes while the feed runs is after
    /// that, so the lines' rate moves only with the feed's own lines, while an order that
    /// request canceled is refused as already canceled; the rate read afterwards has both.</summary>
    [Fact]
    public async Task R17_a_feed_reports_the_rate_as_of_its_receipt_moved_by_its_own_lines_across_chunks()
    {
        var ids = await SeedOrdersAsync(server, _seller, 10);
        using var seller = server.Seller(_seller);
        var canceledBetween = false;
        await using var scope = server.Services.CreateAsyncScope();
        var feed = new TwoLineChunks(scope.ServiceProvider.GetRequiredService<CancellationFeed>(), async () =>
        {
            if (!canceledBetween)
            {
                canceledBetween = true;
                await seller.Orders.CancelOrderAsync(new CancelOrderRequest { RequestId = RequestId(), OrderId = ids[3], Reason = CancelReason.NoInventory });
            }
        });
        var lines = ids.Take(4).Select((id, i) => new FeedLine<SellerCancellation>(
            i + 1, id, new SellerCancellation(id, Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, ""), null)).ToList();

        var answer = await scope.ServiceProvider.GetRequiredService<FeedRunner>()
            .RunAsync<SellerCancellation, SubmitCancellationFeedResponse>(Seller, Key(ids.Take(4)), lines, false, feed, CancellationToken.None);

        Assert.True(canceledBetween);
        // 10 authorized orders: each line moves the rate by 1 / 10, in the second chunk too.
        Assert.Equal([(0, 1000), (1000, 2000), (2000, 3000)], answer.Results.Take(3).Select(r =>
            (r.RateImpact.RateBeforeBasisPoints, r.RateImpact.RateAfterBasisPoints)));
        Expect.Refused(answer.Results[3].Status, StatusCode.FailedPrecondition, "ORDER_CANCELED");
        Assert.Single(answer.Results.Take(3).Select(r => r.Cancellation.CancelTime).Distinct());
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Equal(4000, metrics.RateBasisPoints);
    }

    /// <summary>An order of a later chunk that another request authorizes between chunks
    /// changed after the rate was read: that chunk reads the rate again, so the order joins
    /// the total it was not in, instead of being counted against a total one short.</summary>
    [Fact]
    public async Task R17_an_order_authorized_between_chunks_is_in_the_total_of_the_rate_the_later_lines_report()
    {
        var ids = await SeedOrdersAsync(server, _seller, 9);
        var pending = (await OrderIn(server, OrderStatus.Pending, _seller, _buyer)).OrderId;
        using var marketplace = server.Marketplace();
        var authorized = false;
        await using var scope = server.Services.CreateAsyncScope();
        var feed = new TwoLineChunks(scope.ServiceProvider.GetRequiredService<CancellationFeed>(), async () =>
        {
            if (!authorized)
            {
                authorized = true;
                await marketplace.Orders.AuthorizePaymentAsync(Authorize(pending));
            }
        });
        var orderIds = new[] { ids[0], ids[1], pending, ids[2] };
        var lines = orderIds.Select((id, i) => new FeedLine<SellerCancellation>(
            i + 1, id, new SellerCancellation(id, Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, ""), null)).ToList();

        var answer = await scope.ServiceProvider.GetRequiredService<FeedRunner>()
            .RunAsync<SellerCancellation, SubmitCancellationFeedResponse>(Seller, Key(orderIds), lines, false, feed, CancellationToken.None);

        Assert.True(authorized);
        // 9 authorized orders, then 10: 1/9, 2/9, then 3/10 and 4/10.
        Assert.Equal([(0, 1111), (1111, 2222), (2000, 3000), (3000, 4000)], answer.Results.Select(r =>
            (r.RateImpact.RateBeforeBasisPoints, r.RateImpact.RateAfterBasisPoints)));
    }

    [Fact]
    public async Task R10_a_feed_line_with_a_NUL_character_is_refused_on_its_own_and_the_others_commit()
    {
        var good = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var bad = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = new SubmitCancellationFeedRequest
        {
            RequestId = RequestId(),
            Lines =
            {
                new CancellationFeedLine { OrderId = good.OrderId, Reason = CancelReason.NoInventory },
                new CancellationFeedLine { OrderId = bad.OrderId, Reason = CancelReason.NoInventory, Note = "out\0of stock" },
            },
        };

        var answer = await seller.Orders.SubmitCancellationFeedAsync(feed);

        Assert.Equal(0, answer.Results[0].Status.Code);
        Expect.Refused(answer.Results[1].Status, StatusCode.InvalidArgument, "INVALID_FIELD");
        Assert.Contains("note", answer.Results[1].Status.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(OrderStatus.Canceled, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = good.OrderId })).Order.Status);
        Assert.Equal(OrderStatus.Unshipped, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = bad.OrderId })).Order.Status);
    }

    private async Task<List<string>> UnshippedOrders(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer)).OrderId);
        }

        return ids;
    }

    private static RequestKey Key(IEnumerable<string> orderIds)
    {
        var request = new SubmitCancellationFeedRequest
        {
            RequestId = RequestId(),
            Lines = { orderIds.Select(id => new CancellationFeedLine { OrderId = id, Reason = CancelReason.NoInventory }) },
        };
        return new RequestKey("/test.ProbeFeed/Submit", request.RequestId, request);
    }

    private async Task<SubmitCancellationFeedResponse> RunAsync(RequestKey key, List<ProbeLine> lines, ProbeState state)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var feed = new ProbeFeed(
            scope.ServiceProvider.GetRequiredService<OrderRepository>(), scope.ServiceProvider.GetRequiredService<OrderDbContext>(), state);
        var feedLines = lines.Select((line, i) => new FeedLine<ProbeLine>(i + 1, line.OrderId, line, null)).ToList();
        return await scope.ServiceProvider.GetRequiredService<FeedRunner>()
            .RunAsync<ProbeLine, SubmitCancellationFeedResponse>(Seller, key with { RequestId = key.RequestId.ToLowerInvariant() }, feedLines,
                validateOnly: false, feed, CancellationToken.None);
    }

    private Task<int> CancellationActs(string orderId) =>
        server.QueryDatabaseAsync(async db =>
            (await db.Orders.FindAsync(orderId) ?? throw new InvalidOperationException(orderId)).Cancellations.Count);

    private static IdempotencyRecord TakenKey(string requestId, DateTimeOffset at) =>
        new() { CallerKey = "probe:feed-runner-tests", RequestId = requestId, Method = "probe", RequestHash = "probe", Response = [], CreatedAt = at };

    /// <summary>A line of the probe feed: cancel this order, and optionally misbehave.</summary>
    private sealed record ProbeLine(string OrderId, bool CrashesOnce = false, bool RefusedByDatabase = false);

    /// <summary>What the probe saw, across the runs of one test.</summary>
    private sealed class ProbeState
    {
        public bool Crashed { get; set; }

        /// <summary>A stored-answer key that exists in the database.</summary>
        public string TakenRequestId { get; set; } = "";

        public int Applied { get; set; }

        public List<string> AppliedAfterCrash { get; } = [];
    }

    /// <summary>A feed of two-line chunks whose lines cancel orders as the cancellation feed
    /// does. A line may crash the process once (an exception no use case catches), or make
    /// the database refuse its transaction (an idempotency record under a key that already
    /// exists, which every provider refuses).</summary>
    private sealed class ProbeFeed(OrderRepository orders, OrderDbContext db, ProbeState state) : IFeedLines<ProbeLine>
    {
        public int ChunkSize => 2;

        public IFeedRun<ProbeLine> Begin(Caller caller, DateTimeOffset receivedAt) => new Run(this, caller, receivedAt);

        private async Task<Func<ProbeLine, FeedLineResult>> PrepareAsync(
            Caller caller, IReadOnlyList<FeedLine<ProbeLine>> lines, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var loaded = await orders.FindVisibleAsync(caller, lines.Select(l => l.OrderId), cancellationToken);
            return line =>
            {
                if (line.CrashesOnce && !state.Crashed)
                {
                    state.Crashed = true;
                    throw new InvalidOperationException("simulated crash");
                }

                var order = loaded.GetValueOrDefault(line.OrderId) ?? throw OrderRepository.NotFound(line.OrderId);
                order.CancelBySeller(Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, null, now);
                if (line.RefusedByDatabase)
                {
                    db.IdempotencyRecords.Add(TakenKey(state.TakenRequestId, now));
                }

                state.Applied++;
                if (state.Crashed)
                {
                    state.AppliedAfterCrash.Add(line.OrderId);
                }

                return new FeedLineResult();
            };
        }

        private sealed class Run(ProbeFeed feed, Caller caller, DateTimeOffset receivedAt) : IFeedRun<ProbeLine>
        {
            public Task<Func<ProbeLine, FeedLineResult>> PrepareAsync(IReadOnlyList<FeedLine<ProbeLine>> lines, CancellationToken cancellationToken) =>
                feed.PrepareAsync(caller, lines, receivedAt, cancellationToken);

            public void Committed()
            {
            }

            public void Forget()
            {
            }
        }
    }

    /// <summary>The cancellation feed in chunks of two lines, with something done by another
    /// request after each chunk commits.</summary>
    private sealed class TwoLineChunks(CancellationFeed inner, Func<Task> afterChunk) : IFeedLines<SellerCancellation>
    {
        public int ChunkSize => 2;

        public IFeedRun<SellerCancellation> Begin(Caller caller, DateTimeOffset receivedAt) => new Run(inner.Begin(caller, receivedAt), afterChunk);

        private sealed class Run(IFeedRun<SellerCancellation> inner, Func<Task> afterChunk) : IFeedRun<SellerCancellation>
        {
            private bool _chunkCommitted;

            public async Task<Func<SellerCancellation, FeedLineResult>> PrepareAsync(
                IReadOnlyList<FeedLine<SellerCancellation>> lines, CancellationToken cancellationToken)
            {
                if (_chunkCommitted)
                {
                    await afterChunk();
                }

                return await inner.PrepareAsync(lines, cancellationToken);
            }

            public void Committed()
            {
                _chunkCommitted = true;
                inner.Committed();
            }

            public void Forget() => inner.Forget();
        }
    }

    /// <summary>The cancellation feed, with a shipment of one of its orders committed after
    /// the feed loaded them and before it saves.</summary>
    private sealed class ShipsWhileLoaded(CancellationFeed inner, Func<Task> afterLoad) : IFeedLines<SellerCancellation>
    {
        public int ChunkSize => inner.ChunkSize;

        public IFeedRun<SellerCancellation> Begin(Caller caller, DateTimeOffset receivedAt) => new Run(inner.Begin(caller, receivedAt), afterLoad);

        private sealed class Run(IFeedRun<SellerCancellation> inner, Func<Task> afterLoad) : IFeedRun<SellerCancellation>
        {
            public async Task<Func<SellerCancellation, FeedLineResult>> PrepareAsync(
                IReadOnlyList<FeedLine<SellerCancellation>> lines, CancellationToken cancellationToken)
            {
                var apply = await inner.PrepareAsync(lines, cancellationToken);
                await afterLoad();
                return apply;
            }

            public void Committed() => inner.Committed();

            public void Forget() => inner.Forget();
        }
    }
}
