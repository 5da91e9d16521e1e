using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OrderService.Application.Telemetry;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Persistence;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;
using Metric = OrderService.Application.Telemetry.OrderServiceMetrics;

namespace OrderService.IntegrationTests;

/// <summary>Issue 13: a trace per RPC with its database spans under it, the business
/// metrics with their tags, the Prometheus scrape on its own endpoint, and no address,
/// contact or buyer's words in any log line or span (docs/observability.md). Each test runs
/// an isolated server whose telemetry it captures.</summary>
public sealed class TelemetryTests
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task A_CancelOrder_is_one_trace_whose_rpc_span_has_the_database_spans_under_it_and_its_cancellation_is_counted_with_reason_and_attribution()
    {
        var telemetry = new CapturedTelemetry();
        await using var server = await ServerFixture.StartIsolatedAsync(services: telemetry.AddTo);
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        // The caller's trace context, as a traced client would send it.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        await seller.Orders.CancelOrderAsync(Cancel(order.OrderId, CancelReason.PricingError),
            new Metadata { { "traceparent", $"00-{traceId}-{callerSpan}-01" } });

        var (rpc, database) = await telemetry.SpansAsync(spans =>
        {
            var trace = spans.Where(s => s.TraceId == traceId).ToList();
            var rpc = trace.SingleOrDefault(s => s.DisplayName == "orderservice.v1.OrderService/CancelOrder");
            var database = trace.Where(s => IsDatabaseSpan(s) && rpc is not null && Under(s, rpc, trace)).ToList();
            return rpc is not null && database.Count > 0 ? Tuple.Create(rpc, database) : null;
        });

        Assert.Equal(ActivityKind.Server, rpc.Kind);
        Assert.Equal(callerSpan, rpc.ParentSpanId); // continues the caller's trace
        Assert.Equal("grpc", rpc.GetTagItem("rpc.system"));
        Assert.Equal("orderservice.v1.OrderService", rpc.GetTagItem("rpc.service"));
        Assert.Equal("CancelOrder", rpc.GetTagItem("rpc.method"));
        Assert.Equal(0, rpc.GetTagItem("rpc.grpc.status_code"));
        Assert.Contains(database, span => span.ParentSpanId == rpc.SpanId); // a direct child
        Assert.All(database, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.DoesNotContain(span.TagObjects, tag => tag.Key.StartsWith("db.query.parameter.", StringComparison.Ordinal));
        });

        var cancellations = Points(await telemetry.CollectAsync(server, Metric.CancellationsName));
        Assert.Contains(cancellations, point =>
            Tag(point, Metric.Tags.Reason) == "PRICING_ERROR"
            && Tag(point, Metric.Tags.Requester) == "SELLER"
            && Tag(point, Metric.Tags.Executor) == "SELLER"
            && Tag(point, Metric.Tags.CountsAgainstSeller) == "true"
            && Tag(point, Metric.Tags.WholeOrder) == "true"
            && point.GetSumLong() >= 1);
        Assert.All(cancellations, point => Assert.DoesNotContain(TagValues(point), value => value == order.OrderId || value == _seller));
    }

    [Fact]
    public async Task The_automatic_cancellations_refunds_streams_and_feed_lines_are_counted()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var telemetry = new CapturedTelemetry();
        // The pass runs here, not in the background when the clock moves.
        await using var server = await ServerFixture.StartIsolatedAsync(clock,
            new Dictionary<string, string?> { ["AutoCancel:Enabled"] = "false" }, telemetry.AddTo);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer, purchasedAt: clock.GetUtcNow());
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer, purchasedAt: clock.GetUtcNow());
        var unshipped = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer, purchasedAt: clock.GetUtcNow());
        using (var stream = await Subscribed(buyer, new SubscribeRequest { OrderIds = { shipped.OrderId } }))
        {
            await seller.Refunds.RefundOrderAsync(new RefundOrderRequest
            {
                RequestId = RequestId(), OrderId = shipped.OrderId, Reason = AdjustmentReason.CustomerReturn,
            });
            Assert.Equal(NotificationType.RefundIssued, Assert.Single(await Next(stream, 1)).Type);
            await AssertPoint(telemetry, server, Metric.ActiveSubscribersName,
                point => Tag(point, Metric.Tags.Audience) == "buyer" && point.GetSumLong() >= 1);
        }

        var feed = await seller.Orders.SubmitCancellationFeedAsync(new SubmitCancellationFeedRequest
        {
            RequestId = RequestId(),
            Lines =
            {
                new CancellationFeedLine { OrderId = unshipped.OrderId, Reason = CancelReason.NoInventory },
                new CancellationFeedLine { OrderId = NewId("missing"), Reason = CancelReason.NoInventory },
            },
        });
        Assert.Equal((1, 1), (feed.Summary.Accepted, feed.Summary.Failed));
        clock.Advance(Domain.Order.PaymentVerificationLimit + TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await AutoCancellation.RunOnceAsync(server)).Expired);
        Assert.Equal(OrderStatus.Canceled, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = pending.OrderId })).Order.Status);

        await AssertPoint(telemetry, server, Metric.AutomaticCancellationsName,
            point => Tag(point, Metric.Tags.Rule) == "R4" && point.GetSumLong() >= 1);
        await AssertPoint(telemetry, server, Metric.CancellationsName, point =>
            Tag(point, Metric.Tags.Reason) == "PAYMENT_NOT_AUTHORIZED" && Tag(point, Metric.Tags.CountsAgainstSeller) == "false"
            && Tag(point, Metric.Tags.Executor) == "MARKETPLACE");
        await AssertPoint(telemetry, server, Metric.RefundsName, point =>
            (Tag(point, Metric.Tags.Currency), Tag(point, Metric.Tags.Kind), Tag(point, Metric.Tags.Reason)) == ("JPY", "FULL", "CUSTOMER_RETURN"));
        // Item A x2 at 1099 + 300 shipping, item B at 4500: 7298 yen, exactly, in minor units.
        await AssertPoint(telemetry, server, Metric.RefundedAmountName, point =>
            Tag(point, Metric.Tags.Currency) == "JPY" && Tag(point, Metric.Tags.Kind) == "FULL" && point.GetSumLong() >= 7298);
        var lines = Points(await telemetry.CollectAsync(server, Metric.FeedLinesName))
            .Where(point => Tag(point, Metric.Tags.Feed) == "SubmitCancellationFeed").ToList();
        Assert.Contains(lines, point => Tag(point, Metric.Tags.Outcome) == "accepted" && point.GetSumLong() >= 1);
        Assert.Contains(lines, point => Tag(point, Metric.Tags.Outcome) == "refused" && point.GetSumLong() >= 1);
        await AssertPoint(telemetry, server, Metric.NoticeLagName,
            point => Tag(point, Metric.Tags.Delivery) == "live" && point.GetHistogramCount() >= 1);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_metrics_on_the_metrics_endpoint_and_never_on_the_grpc_one()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Metrics:Url"] = "http://127.0.0.1:9464",
            ["Kestrel:Endpoints:Metrics:Protocols"] = "Http1",
        });
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        await seller.Orders.CancelOrderAsync(Cancel(order.OrderId, CancelReason.CustomerExchange));

        // The test host has no sockets: the request is addressed to the metrics endpoint's port.
        using var scraper = server.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1:9464") });
        using var scrape = await scraper.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        Assert.Contains("orderservice_cancellations_total{", text);
        Assert.Contains("reason=\"CUSTOMER_EXCHANGE\"", text);
        Assert.Contains("counts_against_seller=\"true\"", text);
        Assert.Contains("executor=\"SELLER\"", text);
        Assert.Contains("http_server_request_duration_seconds", text); // ASP.NET Core's own

        using var onGrpcEndpoint = server.CreateClient(new() { BaseAddress = server.Server.BaseAddress });
        Assert.Equal(HttpStatusCode.NotFound, (await onGrpcEndpoint.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task No_address_contact_or_buyers_words_reach_a_log_line_or_a_span_on_success_refusal_or_server_fault()
    {
        var telemetry = new CapturedTelemetry();
        var faulty = NewId("250");
        await using var server = await ServerFixture.StartIsolatedAsync(services: services =>
        {
            telemetry.AddTo(services);
            // A server fault on one order: its view cannot be rendered once it is authorized.
            services.AddSingleton<IOrderViewRenderer>(provider =>
                new FaultyViews(ActivatorUtilities.CreateInstance<OrderService.Application.Orders.OrderViews>(provider), faulty));
        });
        using var marketplace = server.Marketplace();
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        var personal = new[]
        {
            "Zyxwa Quorrelby", "77 Thistlewick Lane", "Flat 9 Brambleholt", "Vondermoor-shi", "998-7766", "+81-90-5550-0199",
            "zyxwa.quorrelby@leak-check.example", "zyxwa-no-at-sign.leak-check", "Moved to 12 Quillowmere Court",
            "Grimbleshank wrong size", "Seller note Fenwhistle",
        };
        AuthorizePaymentRequest Authorization(string orderId, string email)
        {
            var request = Authorize(orderId);
            request.ShippingAddress.RecipientName = personal[0];
            request.ShippingAddress.AddressLines.Clear();
            request.ShippingAddress.AddressLines.Add(personal[1]);
            request.ShippingAddress.AddressLines.Add(personal[2]);
            request.ShippingAddress.Locality = personal[3];
            request.ShippingAddress.PostalCode = personal[4];
            request.ShippingAddress.PhoneNumber = personal[5];
            request.BuyerContact.Name = personal[0];
            request.BuyerContact.Email = email;
            request.BuyerContact.PhoneNumber = personal[5];
            return request;
        }

        // Accepted: the address and contact are stored, the buyer's words are kept.
        var order = (await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer))).Order;
        await marketplace.Orders.AuthorizePaymentAsync(Authorization(order.OrderId, personal[6]));
        await buyer.Orders.RequestAddressChangeAsync(new RequestAddressChangeRequest { RequestId = RequestId(), OrderId = order.OrderId, Reason = personal[8] });
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId, personal[9]));
        var cancel = Cancel(order.OrderId, CancelReason.BuyerCanceled);
        cancel.Note = personal[10];
        await seller.Orders.CancelOrderAsync(cancel);

        // Refused: a contact that is not an e-mail address.
        var other = (await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer))).Order;
        await Expect.InvalidArgument("buyer_contact.email",
            () => marketplace.Orders.AuthorizePaymentAsync(Authorization(other.OrderId, personal[7])).ResponseAsync);

        // A server fault while the address is being saved: INTERNAL with an incident id.
        await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer, orderId: faulty));
        var fault = await Assert.ThrowsAsync<RpcException>(
            () => marketplace.Orders.AuthorizePaymentAsync(Authorization(faulty, personal[6])).ResponseAsync);
        Assert.Equal(StatusCode.Internal, fault.StatusCode);
        var incident = Expect.ErrorInfo(fault).Metadata["incident"];
        var lines = telemetry.Logs.Lines;
        var logged = Assert.Single(lines, line => line.EventId.Id == 2001 && line.Text.Contains(incident, StringComparison.Ordinal));
        Assert.Contains(FaultyViews.Message, logged.Text); // what support needs: the method, the fault, its stack

        var spans = await telemetry.SpansAsync(spans =>
            spans.Any(s => s.DisplayName == "orderservice.v1.OrderService/AuthorizePayment" && Equals(s.GetTagItem("rpc.grpc.status_code"), 13))
                ? spans
                : null);
        Assert.True(lines.Count > 50, $"only {lines.Count} log lines were captured");
        foreach (var text in personal)
        {
            Assert.DoesNotContain(lines, line => line.Text.Contains(text, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(spans, span => span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(text, StringComparison.OrdinalIgnoreCase) == true)
                || span.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static bool IsDatabaseSpan(Activity span) =>
        span.GetTagItem("db.system.name") is not null || span.GetTagItem("db.system") is not null;

    /// <summary>Whether <paramref name="span"/> descends from <paramref name="ancestor"/>.</summary>
    private static bool Under(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            var next = trace.FirstOrDefault(s => s.SpanId == parent);
            if (next is null)
            {
                return false;
            }

            parent = next.ParentSpanId;
        }

        return false;
    }

    /// <summary>Asserts that <paramref name="name"/> has a point that is <paramref name="wanted"/>,
    /// collecting until it shows (an export may predate the measurement).</summary>
    private static async Task AssertPoint(CapturedTelemetry telemetry, ServerFixture server, string name, Func<MetricPoint, bool> wanted) =>
        Assert.Contains(Points(await telemetry.CollectAsync(server, name, snapshots => Points(snapshots).Any(wanted))), point => wanted(point));

    private static List<MetricPoint> Points(List<MetricSnapshot> snapshots) =>
        snapshots.SelectMany(snapshot => snapshot.MetricPoints).ToList();

    private static List<string?> TagValues(MetricPoint point)
    {
        var values = new List<string?>();
        foreach (var tag in point.Tags)
        {
            values.Add(Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>The real views, except that rendering <paramref name="orderId"/> once it is
    /// authorized fails as a bug would: an exception that is no refusal.</summary>
    private sealed class FaultyViews(IOrderViewRenderer views, string orderId) : IOrderViewRenderer
    {
        public const string Message = "Simulated fault while rendering a view.";

        public int Format => views.Format;

        public byte[] Render(Domain.Order order) =>
            order.Id == orderId && order.Status != Domain.OrderStatus.Pending
                ? throw new InvalidOperationException(Message)
                : views.Render(order);
    }
}
