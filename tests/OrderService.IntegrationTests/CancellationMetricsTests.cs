using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>GetCancellationMetrics: the seller's cancellation rate over a window (R17),
/// computed here from the definition, independently of the server: counted, the authorized
/// orders with a cancellation that counts against the seller (R5, R14, R15) made in the
/// window; total, the authorized orders purchased in the window plus the counted ones
/// purchased before it; counted * 10000 / total basis points, rounded half up; target 250,
/// met when the rate is under it.</summary>
[Collection(ServerCollection.Name)]
public sealed class CancellationMetricsTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");

    [Fact]
    public async Task R14_R15_R17_the_rate_counts_seller_and_unofficial_cancellations_and_excludes_official_and_pending_ones()
    {
        using var seller = server.Seller(_seller);
        var total = new List<string>();   // authorized orders purchased or counted in the last 7 days
        var counted = new List<string>(); // ...with a cancellation in them that counts against the seller

        // R14: an official buyer request answered with BuyerCanceled: in the total, not counted.
        var official = await OrderOfSeller(OrderStatus.Unshipped);
        await RequestCancellation(official);
        await seller.Orders.CancelOrderAsync(Cancel(official.OrderId, CancelReason.BuyerCanceled));
        total.Add(official.OrderId);

        // An official request, canceled for another reason: counted.
        var officialOtherReason = await OrderOfSeller(OrderStatus.Unshipped);
        await RequestCancellation(officialOtherReason);
        await seller.Orders.CancelOrderAsync(Cancel(officialOtherReason.OrderId, CancelReason.NoInventory));
        total.Add(officialOtherReason.OrderId);
        counted.Add(officialOtherReason.OrderId);

        // R15: the buyer asked by message only: counted.
        var byMessage = await OrderOfSeller(OrderStatus.Unshipped);
        await seller.Orders.CancelOrderAsync(Cancel(byMessage.OrderId, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage));
        total.Add(byMessage.OrderId);
        counted.Add(byMessage.OrderId);

        // The seller's own cancellation: counted.
        var noInventory = await OrderOfSeller(OrderStatus.Unshipped);
        await seller.Orders.CancelOrderAsync(Cancel(noInventory.OrderId, CancelReason.NoInventory));
        total.Add(noInventory.OrderId);
        counted.Add(noInventory.OrderId);

        // Never authorized: a PENDING order the buyer canceled, and one still PENDING.
        var canceledWhilePending = await OrderOfSeller(OrderStatus.Pending);
        await RequestCancellation(canceledWhilePending);
        await OrderOfSeller(OrderStatus.Pending);

        // Authorized and not canceled, in every status.
        foreach (var status in new[] { OrderStatus.Unshipped, OrderStatus.Unshipped, OrderStatus.PartiallyShipped, OrderStatus.Shipped })
        {
            total.Add((await OrderOfSeller(status)).OrderId);
        }

        // Purchased 10 days ago and canceled by the seller now: counted now, and so in the
        // total although its purchase is older than the window (canceling old orders is no
        // way around the rate). Its ship date is ahead, so no auto-cancel gets there first.
        var old = await OrderOfSeller(OrderStatus.Unshipped, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(1));
        await seller.Orders.CancelOrderAsync(Cancel(old.OrderId));
        total.Add(old.OrderId);
        counted.Add(old.OrderId);

        // Purchased 9 days ago and canceled by the seller 8 days ago: in neither count.
        var longAgo = (await SeedOrdersAsync(server, _seller, 1, DateTimeOffset.UtcNow.AddDays(-9), canceledAt: DateTimeOffset.UtcNow.AddDays(-8)))[0];

        var asked = DateTimeOffset.UtcNow;
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        var answered = DateTimeOffset.UtcNow;

        Assert.Equal(9, total.Count);
        Assert.Equal(4, counted.Count);
        Assert.Equal(counted.Count, metrics.CountedCancellations);
        Assert.Equal(total.Count, metrics.TotalOrders);
        Assert.Equal(BasisPoints(counted.Count, total.Count), metrics.RateBasisPoints); // 4/9 = 4444
        Assert.Equal(4444, metrics.RateBasisPoints);
        Assert.Equal(250, metrics.TargetBasisPoints);
        Assert.False(metrics.TargetMet);
        Assert.Equal(counted.Order(StringComparer.Ordinal), metrics.CountedOrderIds.Order(StringComparer.Ordinal));
        Assert.InRange(metrics.WindowEnd.ToDateTimeOffset(), asked.AddSeconds(-1), answered.AddSeconds(1));
        Assert.Equal(TimeSpan.FromDays(7), metrics.WindowEnd.ToDateTimeOffset() - metrics.WindowStart.ToDateTimeOffset());

        Assert.DoesNotContain(longAgo, metrics.CountedOrderIds);

        // Over 30 days the cancellation of 8 days ago is in both counts too.
        var month = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest { Window = Duration.FromTimeSpan(TimeSpan.FromDays(30)) });

        Assert.Equal(total.Count + 1, month.TotalOrders);
        Assert.Equal(counted.Count + 1, month.CountedCancellations);
        Assert.Equal(BasisPoints(counted.Count + 1, total.Count + 1), month.RateBasisPoints); // 5/10 = 5000
        Assert.Equal(counted.Append(longAgo).Order(StringComparer.Ordinal), month.CountedOrderIds.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromDays(30), month.WindowEnd.ToDateTimeOffset() - month.WindowStart.ToDateTimeOffset());
    }

    [Fact]
    public async Task R17_a_seller_without_orders_has_a_rate_of_zero_and_meets_the_target()
    {
        using var seller = server.Seller(_seller);

        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());

        Assert.Equal(0, metrics.TotalOrders);
        Assert.Equal(0, metrics.CountedCancellations);
        Assert.Equal(0, metrics.RateBasisPoints);
        Assert.Equal(250, metrics.TargetBasisPoints);
        Assert.True(metrics.TargetMet);
        Assert.Empty(metrics.CountedOrderIds);
    }

    /// <summary>1 of 40 is exactly 250 bp, which is not under the target; 1 of 41 is 243.9,
    /// reported as 244 and met; 1 of 3 is 3333.3, rounded down; 1 of 32 is 312.5, rounded
    /// half up to 313.</summary>
    [Theory]
    [InlineData(40, 1, 250, false)]
    [InlineData(41, 1, 244, true)]
    [InlineData(3, 1, 3333, false)]
    [InlineData(32, 1, 313, false)]
    public async Task R17_the_rate_is_rounded_half_up_and_the_target_is_met_only_under_250(int orders, int canceled, int rate, bool met)
    {
        var ids = await SeedOrdersAsync(server, _seller, orders);
        using var seller = server.Seller(_seller);
        foreach (var id in ids.Take(canceled))
        {
            await seller.Orders.CancelOrderAsync(Cancel(id));
        }

        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());

        Assert.Equal(orders, metrics.TotalOrders);
        Assert.Equal(canceled, metrics.CountedCancellations);
        Assert.Equal(BasisPoints(canceled, orders), metrics.RateBasisPoints);
        Assert.Equal(rate, metrics.RateBasisPoints);
        Assert.Equal(met, metrics.TargetMet);
    }

    public static TheoryData<TimeSpan> AllowedWindows => new() { TimeSpan.FromHours(1), TimeSpan.FromDays(90) };

    [Theory]
    [MemberData(nameof(AllowedWindows))]
    public async Task R17_a_window_from_one_hour_to_ninety_days_is_accepted(TimeSpan window)
    {
        using var seller = server.Seller(_seller);

        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest { Window = Duration.FromTimeSpan(window) });

        Assert.Equal(window, metrics.WindowEnd.ToDateTimeOffset() - metrics.WindowStart.ToDateTimeOffset());
    }

    public static TheoryData<TimeSpan> RefusedWindows => new()
    {
        TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1),
        TimeSpan.FromDays(90) + TimeSpan.FromSeconds(1),
        TimeSpan.FromHours(-1),
    };

    [Theory]
    [MemberData(nameof(RefusedWindows))]
    public async Task R17_a_window_outside_one_hour_to_ninety_days_is_invalid_argument(TimeSpan window)
    {
        using var seller = server.Seller(_seller);

        await Expect.InvalidArgument("window", () => seller.Orders.GetCancellationMetricsAsync(
            new GetCancellationMetricsRequest { Window = Duration.FromTimeSpan(window) }).ResponseAsync);
    }

    /// <summary>Durations that google.protobuf.Duration does not allow: nanos of the opposite
    /// sign to seconds, nanos of a second or more, seconds beyond 10,000 years.</summary>
    public static TheoryData<long, int> MalformedWindows => new()
    {
        { 3600, -1 },
        { -3600, 1 },
        { 3600, 1_000_000_000 },
        { 3600, -1_000_000_000 },
        { 315_576_000_001, 0 },
        { -315_576_000_001, 0 },
        { long.MaxValue, 0 },
        { long.MinValue, 0 },
    };

    [Theory]
    [MemberData(nameof(MalformedWindows))]
    public async Task R17_a_window_that_is_not_a_valid_duration_is_invalid_argument_not_internal(long seconds, int nanos)
    {
        using var seller = server.Seller(_seller);

        await Expect.InvalidArgument("window", () => seller.Orders.GetCancellationMetricsAsync(
            new GetCancellationMetricsRequest { Window = new Duration { Seconds = seconds, Nanos = nanos } }).ResponseAsync);
    }

    [Fact]
    public async Task R17_a_window_of_one_hour_less_a_nanosecond_is_refused_and_one_with_nanos_of_the_same_sign_accepted()
    {
        using var seller = server.Seller(_seller);

        await Expect.InvalidArgument("window", () => seller.Orders.GetCancellationMetricsAsync(
            new GetCancellationMetricsRequest { Window = new Duration { Seconds = 3599, Nanos = 999_999_999 } }).ResponseAsync);
        var metrics = await seller.Orders.GetCancellationMetricsAsync(
            new GetCancellationMetricsRequest { Window = new Duration { Seconds = 3600, Nanos = 500 } });

        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromTicks(5), metrics.WindowEnd.ToDateTimeOffset() - metrics.WindowStart.ToDateTimeOffset());
    }

    [Fact]
    public async Task Only_a_seller_may_read_its_cancellation_metrics()
    {
        using var buyer = server.Buyer(NewId("B"));
        using var marketplace = server.Marketplace();

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => buyer.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest()).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => marketplace.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest()).ResponseAsync);
    }

    [Fact]
    public async Task R17_a_seller_sees_only_its_own_orders_in_its_rate()
    {
        var others = NewId("S");
        var othersIds = await SeedOrdersAsync(server, others, 2);
        using var otherSeller = server.Seller(others);
        await otherSeller.Orders.CancelOrderAsync(Cancel(othersIds[0]));
        await SeedOrdersAsync(server, _seller, 4);
        using var seller = server.Seller(_seller);

        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());

        Assert.Equal(4, metrics.TotalOrders);
        Assert.Equal(0, metrics.CountedCancellations);
        Assert.Empty(metrics.CountedOrderIds);
    }

    private Task<Order> OrderOfSeller(OrderStatus status, DateTimeOffset? purchasedAt = null, DateTimeOffset? latestShipAt = null) =>
        OrderIn(server, status, _seller, NewId("B"), purchasedAt, latestShipAt);

    private async Task RequestCancellation(Order order)
    {
        using var buyer = server.Buyer(order.BuyerId);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));
    }
}
