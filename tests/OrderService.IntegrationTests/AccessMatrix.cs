using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Notifications;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The states a victim order is brought to, each the one its RPC's request is
/// valid for.</summary>
public enum VictimState
{
    /// <summary>Created, payment not yet authorized.</summary>
    Pending,
    /// <summary>Authorized: it has the buyer's address and contact.</summary>
    Unshipped,
    /// <summary>Every unit shipped, with a tracking number.</summary>
    Shipped,
    /// <summary>Shipped and refunded in full.</summary>
    Refunded,
    /// <summary>Canceled by the seller for lack of stock (it counts, R17), with a note.</summary>
    CanceledBySeller,
    /// <summary>Unshipped, with the buyer's official cancellation request and its reason.</summary>
    BuyerRequested,
    /// <summary>The buyer asked to cancel, and the seller canceled with a note.</summary>
    Closed,
}

/// <summary>The order another party must learn nothing of: its ids and distinctive strings
/// for everything the order carries. Every string holds <see cref="Unique"/>, so none can
/// occur in an answer by chance.</summary>
public sealed record Victim(string OrderId, string SellerId, string BuyerId, string Unique, DateTimeOffset PurchasedAt)
{
    public string BuyerName => $"Victim Buyer {Unique}";

    public string AddressLine => $"{Unique} Leakage Street";

    public string Email => $"victim.{Unique}@buyers.example.invalid";

    public string Sku => $"SKU-{Unique}";

    public string Title => $"Secret title {Unique}";

    public string TrackingNumber => $"TRK-{Unique}";

    public string BuyerReason => $"Buyer reason {Unique}";

    public string Note => $"Seller note {Unique}";

    /// <summary>The refund of a <see cref="VictimState.Refunded"/> order.</summary>
    public string? RefundId { get; init; }

    /// <summary>Every piece of the victim's data, by name. Those its state does not have
    /// cannot occur anywhere, which does no harm.</summary>
    public IEnumerable<KeyValuePair<string, string>> Secrets()
    {
        yield return new("order id", OrderId);
        yield return new("seller id", SellerId);
        yield return new("buyer id", BuyerId);
        yield return new("buyer name", BuyerName);
        yield return new("address line", AddressLine);
        yield return new("email", Email);
        yield return new("sku", Sku);
        yield return new("title", Title);
        yield return new("tracking number", TrackingNumber);
        yield return new("buyer's reason", BuyerReason);
        yield return new("note", Note);
        if (RefundId is not null)
        {
            yield return new("refund id", RefundId);
        }
    }
}

/// <summary>One RPC of the access matrix: who may call it (README "Access"), the victim
/// order its request is made valid for, and what each kind of caller gets.</summary>
public sealed class MatrixEntry
{
    /// <summary>The roles that may call it, as the README's "Access" table documents.</summary>
    public required string[] Roles { get; init; }

    public required VictimState Victim { get; init; }

    /// <summary>A request valid for the victim's order: the allowed owner gets a success or
    /// a workflow answer from it.</summary>
    public required Func<Victim, IMessage> Request { get; init; }

    /// <summary>Checks the answer of an allowed caller the order is visible to: the
    /// marketplace, or the order's own seller or buyer.</summary>
    public required Action<Victim, IMessage, CallTranscript> Allowed { get; init; }

    /// <summary>Checks the answer of another seller or buyer whose role may call the RPC:
    /// NOT_FOUND unless told otherwise.</summary>
    public Action<Victim, CallTranscript> Others { get; init; } = AccessMatrix.NotFound;

    /// <summary>Orders other than the victim's that the request would change.</summary>
    public Func<IMessage, IEnumerable<string>> AlsoTouches { get; init; } = _ => [];

    /// <summary>For a subscription: open it, act on the victim's order, and read what
    /// arrives. Null for calls that run to their end.</summary>
    public Func<ServerFixture, CallInvoker, MethodDescriptor, IMessage, Victim, bool, Task<CallTranscript>>? Watch { get; init; }
}

/// <summary>The entries of the access matrix, one per RPC of the contract, and the victim
/// orders they run against.</summary>
public static class AccessMatrix
{
    private static readonly string[] Marketplace = ["marketplace"];
    private static readonly string[] Seller = ["seller"];
    private static readonly string[] Buyer = ["buyer"];
    private static readonly string[] Anyone = ["marketplace", "seller", "buyer"];
    private static readonly string[] SellerOrBuyer = ["seller", "buyer"];

    /// <summary>Every method of every service the contract (package orderservice.v1)
    /// declares, read from the generated descriptors: a new RPC is here without editing
    /// anything, and fails the matrix until it has an entry.</summary>
    public static IReadOnlyList<MethodDescriptor> ContractMethods { get; } =
        typeof(GetOrderRequest).Assembly.GetTypes()
            .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(property => property?.PropertyType == typeof(FileDescriptor))
            .Select(property => (FileDescriptor)property!.GetValue(null)!)
            .Where(file => file.Package == "orderservice.v1")
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods)
            .OrderBy(Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>"orderservice.v1.OrderService/GetOrder": the gRPC path without its slash.</summary>
    public static string Key(MethodDescriptor method) => $"{method.Service.FullName}/{method.Name}";

    public static MethodDescriptor Method(string key) => ContractMethods.Single(method => Key(method) == key);

    public static readonly IReadOnlyDictionary<string, MatrixEntry> Entries = new Dictionary<string, MatrixEntry>
    {
        ["orderservice.v1.OrderService/CreateOrder"] = new()
        {
            // A new order of the victim's seller and buyer; the victim's own order is the
            // data that must not show.
            Roles = Marketplace,
            Victim = VictimState.Unshipped,
            Request = v => NewOrder(v, NewId("250")),
            Allowed = (_, request, answer) =>
            {
                var order = Response<CreateOrderResponse>(answer).Order;
                Assert.Equal((((CreateOrderRequest)request).OrderId, OrderStatus.Pending), (order.OrderId, order.Status));
            },
            AlsoTouches = request => [((CreateOrderRequest)request).OrderId],
        },
        ["orderservice.v1.OrderService/AuthorizePayment"] = new()
        {
            Roles = Marketplace,
            Victim = VictimState.Pending,
            Request = Payment,
            Allowed = (v, _, answer) => Assert.Equal(OrderStatus.Unshipped, Response<AuthorizePaymentResponse>(answer).Order.Status),
        },
        ["orderservice.v1.OrderService/GetOrder"] = new()
        {
            Roles = Anyone,
            Victim = VictimState.Closed,
            Request = v => new GetOrderRequest { OrderId = v.OrderId },
            Allowed = (v, _, answer) => Assert.Equal(v.OrderId, Response<GetOrderResponse>(answer).Order.OrderId),
        },
        ["orderservice.v1.OrderService/ListOrders"] = new()
        {
            Roles = Anyone,
            Victim = VictimState.Closed,
            Request = v => new ListOrdersRequest
            {
                PageSize = 1000,
                PurchaseTimeStart = Timestamp.FromDateTimeOffset(v.PurchasedAt.AddSeconds(-1)),
                PurchaseTimeEnd = Timestamp.FromDateTimeOffset(v.PurchasedAt.AddSeconds(1)),
            },
            Allowed = (v, _, answer) => Assert.Contains(v.OrderId, Response<ListOrdersResponse>(answer).Orders.Select(o => o.OrderId)),
            Others = (_, answer) => Assert.Empty(Response<ListOrdersResponse>(answer).Orders),
        },
        ["orderservice.v1.OrderService/ConfirmShipment"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Unshipped,
            Request = v => Ship(v.OrderId, ("A", 1)),
            Allowed = (_, _, answer) => Assert.Equal(OrderStatus.PartiallyShipped, Response<ConfirmShipmentResponse>(answer).Order.Status),
        },
        ["orderservice.v1.OrderService/CancelOrder"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Unshipped,
            Request = v =>
            {
                var request = Cancel(v.OrderId);
                request.Note = v.Note;
                return request;
            },
            Allowed = (_, _, answer) => Assert.Equal(OrderStatus.Canceled, Response<CancelOrderResponse>(answer).Order.Status),
        },
        ["orderservice.v1.OrderService/SubmitCancellationFeed"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Unshipped,
            Request = v => new SubmitCancellationFeedRequest
            {
                RequestId = RequestId(),
                Lines = { new CancellationFeedLine { OrderId = v.OrderId, Reason = CancelReason.NoInventory, Note = v.Note } },
            },
            Allowed = (_, _, answer) =>
                Assert.Equal(new FeedSummary { Lines = 1, Accepted = 1 }, Response<SubmitCancellationFeedResponse>(answer).Summary),
            Others = (_, answer) =>
            {
                var feed = Response<SubmitCancellationFeedResponse>(answer);
                Assert.Equal(new FeedSummary { Lines = 1, Failed = 1 }, feed.Summary);
                Expect.Refused(Assert.Single(feed.Results).Status, StatusCode.NotFound, "ORDER_NOT_FOUND");
            },
        },
        ["orderservice.v1.OrderService/RequestCancellation"] = new()
        {
            Roles = Buyer,
            Victim = VictimState.Unshipped,
            Request = v => BuyerRequest(v.OrderId, v.BuyerReason),
            Allowed = (v, _, answer) =>
                Assert.Equal(v.BuyerReason, Response<RequestCancellationResponse>(answer).Order.BuyerCancellationRequest.Reason),
        },
        ["orderservice.v1.OrderService/RequestAddressChange"] = new()
        {
            Roles = Buyer,
            Victim = VictimState.Unshipped,
            Request = v => new RequestAddressChangeRequest { RequestId = RequestId(), OrderId = v.OrderId, Reason = v.BuyerReason },
            Allowed = (_, _, answer) =>
                Assert.Equal(AddressChangeOutcome.CancelAndReorder, Response<RequestAddressChangeResponse>(answer).Outcome),
        },
        ["orderservice.v1.OrderService/RequestCarrierReturn"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Shipped,
            Request = v => new RequestCarrierReturnRequest
            {
                RequestId = RequestId(),
                OrderId = v.OrderId,
                Cause = CarrierReturnCause.BuyerCannotReceive,
                Note = v.Note,
            },
            Allowed = (v, _, answer) => Assert.Equal(v.OrderId, Response<RequestCarrierReturnResponse>(answer).Order.OrderId),
        },
        ["orderservice.v1.OrderService/GetCancellationMetrics"] = new()
        {
            Roles = Seller,
            Victim = VictimState.CanceledBySeller,
            Request = _ => new GetCancellationMetricsRequest(),
            Allowed = (v, _, answer) => Assert.Equal([v.OrderId], Response<GetCancellationMetricsResponse>(answer).CountedOrderIds),
            Others = (_, answer) =>
            {
                var metrics = Response<GetCancellationMetricsResponse>(answer);
                Assert.Equal((0, 0), (metrics.CountedCancellations, metrics.TotalOrders));
                Assert.Empty(metrics.CountedOrderIds);
            },
        },
        ["orderservice.v1.OrderService/GetReplyTemplate"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Closed,
            Request = v => new GetReplyTemplateRequest
            {
                TemplateId = ReplyTemplateId.T5PlaceNewOrder,
                OrderId = v.OrderId,
                LanguageCode = "en",
            },
            Allowed = (v, _, answer) => Assert.Contains(v.OrderId, Response<GetReplyTemplateResponse>(answer).Template.Body),
        },
        ["orderservice.v1.OrderService/StreamOrderReport"] = new()
        {
            Roles = Seller,
            Victim = VictimState.BuyerRequested,
            Request = _ => new StreamOrderReportRequest
            {
                ReportType = OrderReportType.AllOrders,
                IncludeBuyerCancellationRequest = true,
            },
            Allowed = (v, _, answer) =>
            {
                var row = Assert.IsType<StreamOrderReportResponse>(Assert.Single(answer.Messages));
                Assert.Equal((v.OrderId, v.BuyerReason), (row.Order.OrderId, row.BuyerCancellationReason));
            },
            Others = (_, answer) => Assert.Empty(answer.Messages),
        },
        ["orderservice.v1.RefundService/GetRefundableAmounts"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Shipped,
            Request = v => new GetRefundableAmountsRequest { OrderId = v.OrderId },
            Allowed = (_, _, answer) =>
                Assert.Equal(["A", "B"], Response<GetRefundableAmountsResponse>(answer).Items.Select(i => i.OrderItemId)),
        },
        ["orderservice.v1.RefundService/RefundOrder"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Shipped,
            Request = v => new RefundOrderRequest { RequestId = RequestId(), OrderId = v.OrderId, Reason = AdjustmentReason.CustomerReturn },
            Allowed = (_, _, answer) => Assert.Equal(2 * (1099 + 300) + 4500, Response<RefundOrderResponse>(answer).Refund.Total.Units),
        },
        ["orderservice.v1.RefundService/CancelItems"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Unshipped,
            Request = v => new CancelItemsRequest
            {
                RequestId = RequestId(),
                OrderId = v.OrderId,
                Items = { new ItemCancellation { OrderItemId = "A", Quantity = 1 } },
                Reason = CancelReason.NoInventory,
            },
            Allowed = (_, _, answer) =>
                Assert.Equal(1, Response<CancelItemsResponse>(answer).Order.Items.Single(i => i.OrderItemId == "A").QuantityCanceled),
        },
        ["orderservice.v1.RefundService/SubmitAdjustmentFeed"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Shipped,
            Request = v => new SubmitAdjustmentFeedRequest
            {
                RequestId = RequestId(),
                Lines = { new AdjustmentFeedLine { OrderId = v.OrderId, Reason = AdjustmentReason.CustomerReturn } },
            },
            Allowed = (_, _, answer) =>
                Assert.Equal(new FeedSummary { Lines = 1, Accepted = 1 }, Response<SubmitAdjustmentFeedResponse>(answer).Summary),
            Others = (_, answer) =>
            {
                var feed = Response<SubmitAdjustmentFeedResponse>(answer);
                Assert.Equal(new FeedSummary { Lines = 1, Failed = 1 }, feed.Summary);
                var line = Assert.Single(feed.Results);
                Expect.Refused(line.Status, StatusCode.NotFound, "ORDER_NOT_FOUND");
                Assert.Null(line.Refund);
            },
        },
        ["orderservice.v1.RefundService/RecordReturn"] = new()
        {
            Roles = Seller,
            Victim = VictimState.Shipped,
            Request = v => new RecordReturnRequest
            {
                RequestId = RequestId(),
                OrderId = v.OrderId,
                Lines = { new ReturnLine { OrderItemId = "A", QuantityReceived = 1 } },
            },
            Allowed = (v, _, answer) => Assert.Equal(v.OrderId, Response<RecordReturnResponse>(answer).Refund.OrderId),
        },
        ["orderservice.v1.RefundService/ListRefunds"] = new()
        {
            // Documented: an order that is not the caller's gives an empty list.
            Roles = Anyone,
            Victim = VictimState.Refunded,
            Request = v => new ListRefundsRequest { OrderId = v.OrderId },
            Allowed = (v, _, answer) => Assert.Equal(v.RefundId, Assert.Single(Response<ListRefundsResponse>(answer).Refunds).RefundId),
            Others = (_, answer) => Assert.Empty(Response<ListRefundsResponse>(answer).Refunds),
        },
        ["orderservice.v1.NotificationService/Subscribe"] = new()
        {
            // Subscribed to the victim's order by name (and, in the same cell, to everything, and
            // by name replaying the log): another seller or buyer gets heartbeats and nothing else.
            Roles = SellerOrBuyer,
            Victim = VictimState.Unshipped,
            Request = v => new SubscribeRequest { OrderIds = { v.OrderId } },
            Watch = WatchAsync,
            Allowed = (v, _, answer) => Assert.Equal(3, answer.Messages.Cast<SubscribeResponse>()
                .Count(m => m.Notification is { Type: NotificationType.OrderCanceled } n && n.OrderId == v.OrderId)),
            Others = (_, answer) =>
            {
                var messages = answer.Messages.Cast<SubscribeResponse>().ToList();
                Assert.DoesNotContain(messages, m => m.Notification is not null);
                Assert.Contains(messages, m => m.Heartbeat is not null);
            },
        },
    };

    /// <summary>What another seller or buyer gets for an order that is not theirs.</summary>
    public static void NotFound(Victim victim, CallTranscript answer)
    {
        Assert.True(answer.Status.StatusCode == StatusCode.NotFound, $"expected NOT_FOUND, got {answer}");
        Assert.Equal("ORDER_NOT_FOUND", answer.ErrorInfo?.Reason);
        Assert.Empty(answer.Messages);
    }

    private static T Response<T>(CallTranscript answer)
        where T : IMessage => Assert.IsType<T>(Assert.Single(answer.Messages));

    /// <summary>Creates the victim order through the API, with a seller and a buyer of its
    /// own, and brings it to <paramref name="state"/>.</summary>
    public static async Task<Victim> VictimAsync(ServerFixture server, VictimState state)
    {
        var victim = new Victim(NewId("250"), NewId("S"), NewId("B"), Guid.NewGuid().ToString("N")[..12],
            DateTimeOffset.UtcNow.AddHours(-2).AddMilliseconds(-Random.Shared.Next(3_600_000)));
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(victim.SellerId);
        using var buyer = server.Buyer(victim.BuyerId);
        await marketplace.Orders.CreateOrderAsync(NewOrder(victim, victim.OrderId));
        if (state == VictimState.Pending)
        {
            return victim;
        }

        await marketplace.Orders.AuthorizePaymentAsync(Payment(victim));
        switch (state)
        {
            case VictimState.Shipped or VictimState.Refunded:
                var shipment = Ship(victim.OrderId, ("A", 2), ("B", 1));
                shipment.TrackingNumber = victim.TrackingNumber;
                await seller.Orders.ConfirmShipmentAsync(shipment);
                if (state == VictimState.Refunded)
                {
                    var refund = await seller.Refunds.RefundOrderAsync(new RefundOrderRequest
                    {
                        RequestId = RequestId(), OrderId = victim.OrderId, Reason = AdjustmentReason.CustomerReturn,
                    });
                    return victim with { RefundId = refund.Refund.RefundId };
                }

                break;
            case VictimState.CanceledBySeller:
                var cancel = Cancel(victim.OrderId);
                cancel.Note = victim.Note;
                await seller.Orders.CancelOrderAsync(cancel);
                break;
            case VictimState.BuyerRequested:
                await buyer.Orders.RequestCancellationAsync(BuyerRequest(victim.OrderId, victim.BuyerReason));
                break;
            case VictimState.Closed:
                await CloseAsync(server, victim);
                break;
        }

        return victim;
    }

    /// <summary>The victim's buyer asks to cancel (R13) and its seller cancels with a note:
    /// notices to both.</summary>
    private static async Task CloseAsync(ServerFixture server, Victim victim)
    {
        using var seller = server.Seller(victim.SellerId);
        using var buyer = server.Buyer(victim.BuyerId);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(victim.OrderId, victim.BuyerReason));
        var cancel = Cancel(victim.OrderId, CancelReason.BuyerCanceled);
        cancel.Note = victim.Note;
        await seller.Orders.CancelOrderAsync(cancel);
    }

    /// <summary>The order as the marketplace hands it over, with the victim's SKUs and
    /// titles.</summary>
    private static CreateOrderRequest NewOrder(Victim victim, string orderId)
    {
        var request = CreateOrder(victim.SellerId, victim.BuyerId, orderId, purchasedAt: victim.PurchasedAt);
        request.Items[0].Sku = victim.Sku;
        request.Items[0].Title = victim.Title;
        request.Items[1].Sku = $"{victim.Sku}-B";
        request.Items[1].Title = $"{victim.Title} (B)";
        return request;
    }

    private static AuthorizePaymentRequest Payment(Victim victim)
    {
        var request = Authorize(victim.OrderId);
        request.ShippingAddress.RecipientName = victim.BuyerName;
        request.ShippingAddress.AddressLines[0] = victim.AddressLine;
        request.BuyerContact.Name = victim.BuyerName;
        request.BuyerContact.Email = victim.Email;
        return request;
    }

    /// <summary>Subscribe as the caller twice, live: to the victim's order by name and to
    /// everything; once both are in place, the victim's buyer and seller cancel the order.
    /// Then a third time, by name, resuming from before the cancellation, so that it is
    /// replayed from the log. The order's own seller or buyer reads each stream until the
    /// ORDER_CANCELED notice arrives; anyone else until a heartbeat made more than two
    /// heartbeat intervals after the cancellation committed, by which time the stream has
    /// read the log past it.</summary>
    private static async Task<CallTranscript> WatchAsync(
        ServerFixture server, CallInvoker invoker, MethodDescriptor method, IMessage request, Victim victim, bool owner)
    {
        var transcript = new CallTranscript();
        var options = new CallOptions(deadline: DateTime.UtcNow + RawCalls.Deadline);
        using var byName = invoker.AsyncServerStreamingCall(RawCalls.MethodOf(method), null, options, request);
        using var everything = invoker.AsyncServerStreamingCall(RawCalls.MethodOf(method), null, options, new SubscribeRequest());
        var open = new List<AsyncServerStreamingCall<IMessage>>();
        string? startCursor = null;
        foreach (var call in new[] { byName, everything })
        {
            var cursor = await InPlaceAsync(call, transcript);
            if (cursor is not null)
            {
                startCursor ??= cursor;
                open.Add(call);
            }
        }

        if (open.Count == 0)
        {
            return transcript;
        }

        await CloseAsync(server, victim);
        var quietAfter = DateTimeOffset.UtcNow.AddSeconds(1.2); // the tests' heartbeat is 0.5 s, polling 0.2 s
        var replay = ((SubscribeRequest)request).Clone();
        replay.ResumeAfter = startCursor!;
        using var replaying = invoker.AsyncServerStreamingCall(RawCalls.MethodOf(method), null, options, replay);
        if (await InPlaceAsync(replaying, transcript) is not null)
        {
            open.Add(replaying);
        }

        foreach (var call in open)
        {
            await ReadAsync(call, transcript, message => owner
                ? message is SubscribeResponse { Notification: { Type: NotificationType.OrderCanceled } notice } && notice.OrderId == victim.OrderId
                : message is SubscribeResponse { Heartbeat: { } heartbeat } && heartbeat.ServerTime.ToDateTimeOffset() > quietAfter,
                Notices.Patience);
        }

        return transcript;
    }

    /// <summary>The start cursor once the subscription is in place; null, with the call read
    /// to its end, when it was refused.</summary>
    private static async Task<string?> InPlaceAsync(AsyncServerStreamingCall<IMessage> call, CallTranscript transcript)
    {
        var headers = await RawCalls.HeadersOf(call.ResponseHeadersAsync);
        transcript.AddHeaders(headers);
        var cursor = headers?.GetValue(NotificationFeed.StartCursorHeader);
        if (cursor is null)
        {
            await ReadAsync(call, transcript, _ => false, RawCalls.Deadline);
        }

        return cursor;
    }

    /// <summary>Reads the stream into the transcript until <paramref name="enough"/> says so
    /// (the test then ends the call: OK), the stream ends (its status), or
    /// <paramref name="patience"/> runs out (DEADLINE_EXCEEDED, which fails the cell).</summary>
    private static async Task ReadAsync(
        AsyncServerStreamingCall<IMessage> call, CallTranscript transcript, Func<IMessage, bool> enough, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                transcript.Add(call.ResponseStream.Current);
                if (enough(call.ResponseStream.Current))
                {
                    return;
                }
            }

            transcript.End(call.GetStatus(), call.GetTrailers());
        }
        catch (Exception exception) when (timeout.IsCancellationRequested && exception is RpcException or OperationCanceledException)
        {
            transcript.End(new Status(StatusCode.DeadlineExceeded, $"nothing the test waited for within {patience}"), null);
        }
        catch (RpcException exception)
        {
            transcript.End(exception.Status, exception.Trailers);
        }
    }
}
