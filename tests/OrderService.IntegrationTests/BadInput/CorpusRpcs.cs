using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;
using Api = OrderService.Contracts.V1;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>A case written by hand: the RPC's valid request changed by
/// <paramref name="Change"/> (one field, unless <paramref name="What"/> says otherwise),
/// for what a descriptor cannot generate: an order in the wrong status, a rule on the
/// request's content, a forged page token or cursor.</summary>
public sealed record HandCase(string Path, string What, Expectation Expect, Func<IMessage, CorpusContext, Task> Change);

/// <summary>One RPC of the corpus: who calls it, and a valid request built by hand, with every
/// field the RPC takes set (optional ones too), so that every field gets its mutations.
/// <paramref name="Mutates"/>: a case the service accepts changes the orders, so it runs on a
/// fresh context. <paramref name="LinePrefix"/>: a feed's first line, whose mutations are
/// answered in the line's result, not as the call's status.</summary>
public sealed record CorpusRpc(
    MethodDescriptor Method,
    string Role,
    bool Mutates,
    Func<CorpusContext, Task<IMessage>> Valid,
    Func<IReadOnlyList<HandCase>> ByHand,
    string? LinePrefix = null)
{
    public string Name => Method.Name;

    public string CallerId(CorpusContext context) => Role switch
    {
        "seller" => context.Seller,
        "buyer" => context.Buyer,
        _ => "intake-service", // as ServerFixture.Marketplace(), which makes the orders: one caller, one request_id space
    };
}

/// <summary>The corpus of issue 12: every RPC of the contract, its valid request, and the
/// cases written by hand. The generated cases come from <see cref="RequestMutations"/>; what
/// each must get is <see cref="Expectations"/>.</summary>
public static class CorpusRpcs
{
    public static readonly IReadOnlyDictionary<string, CorpusRpc> All = new[]
    {
        CreateOrder(), AuthorizePayment(), GetOrder(), ListOrders(), ConfirmShipment(), CancelOrder(), SubmitCancellationFeed(),
        RequestCancellation(), RequestAddressChange(), RequestCarrierReturn(), GetCancellationMetrics(), GetReplyTemplate(),
        StreamOrderReport(), GetRefundableAmounts(), RefundOrder(), CancelItems(), SubmitAdjustmentFeed(), RecordReturn(),
        ListRefunds(), Subscribe(),
    }.ToDictionary(rpc => rpc.Name, StringComparer.Ordinal);

    /// <summary>Every case of <paramref name="rpc"/>: the generated ones, each with what it
    /// must get, then the hand-written ones. <paramref name="unusedRules"/>: allow-list and
    /// field rules of this RPC that matched no generated case (a stale list is an error).</summary>
    public static List<CorpusCase> CasesOf(CorpusRpc rpc, IMessage template, out List<string> unusedRules)
    {
        var cases = new List<CorpusCase>();
        var used = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var mutation in RequestMutations.Generate(template))
        {
            var expect = Expectations.For(rpc, mutation.Path, mutation.Kind, used);
            cases.Add(new CorpusCase(rpc.Name, mutation.Path, Describe(mutation.Kind), expect, Generated: true,
                async context => mutation.Apply(await rpc.Valid(context))));
        }

        foreach (var hand in rpc.ByHand())
        {
            cases.Add(new CorpusCase(rpc.Name, hand.Path, hand.What, hand.Expect, Generated: false, async context =>
            {
                var request = await rpc.Valid(context);
                await hand.Change(request, context);
                return request.ToByteArray();
            }));
        }

        unusedRules = Expectations.RulesOf(rpc.Name).Where(rule => !used.Contains(rule)).Select(rule => rule.ToString()!).ToList();
        return cases;
    }

    public static string Describe(Mutation kind) => kind switch
    {
        Mutation.Empty => "empty",
        Mutation.Blank => "blank (spaces only)",
        Mutation.Oversized => $"oversized ({RequestMutations.OversizedLength:N0} characters)",
        Mutation.ControlCharacters => "control characters (BEL, ESC, DEL) appended",
        Mutation.Nul => "NUL appended",
        Mutation.TrailingNewline => "trailing line feed",
        Mutation.Zero => "zero (missing)",
        Mutation.Negative => "-1",
        Mutation.MinValue => "int32 minimum",
        Mutation.MaxValue => "int32 maximum",
        Mutation.Unspecified => "UNSPECIFIED (missing)",
        Mutation.UnknownNumber => "unknown enum number 999",
        Mutation.NegativeNumber => "enum number -1",
        Mutation.Missing => "missing",
        Mutation.EmptyMessage => "present but empty",
        Mutation.NoElements => "no elements",
        Mutation.Duplicated => "first element duplicated",
        Mutation.TooMany => "too many elements",
        Mutation.WrongCurrency => "another currency than the order's",
        Mutation.CurrencyEmpty => "no currency code",
        Mutation.CurrencyLowerCase => "currency code in lower case",
        Mutation.UnsupportedCurrency => "currency XXX",
        Mutation.CurrencyOversized => "oversized currency code",
        Mutation.UnitsNegative => "units -1",
        Mutation.UnitsMinValue => "units int64 minimum",
        Mutation.UnitsOverflow => "units int64 maximum",
        Mutation.NanosNegative => "nanos -1",
        Mutation.NanosOutOfRange => "nanos 1,000,000,000",
        Mutation.HalfMinorUnit => "half a yen",
        Mutation.OneNano => "one nano",
        Mutation.FarPast => "year 0001",
        Mutation.FarFuture => "year 9999",
        Mutation.BeforeYear1 => "before year 0001",
        Mutation.AfterYear9999 => "after year 9999",
        Mutation.SecondsMinValue => "seconds int64 minimum",
        Mutation.SecondsMaxValue => "seconds int64 maximum",
        Mutation.TimeNanosNegative => "nanos -1",
        Mutation.TimeNanosOutOfRange => "nanos 1,000,000,000",
        Mutation.DurationNegative => "-1 hour",
        Mutation.DurationZero => "zero",
        Mutation.DurationTooLong => "91 days",
        Mutation.DurationSecondsOverflow => "seconds int64 maximum",
        Mutation.DurationNanosOutOfRange => "nanos 1,000,000,000",
        Mutation.DurationMixedSigns => "seconds and nanos of opposite signs",
        Mutation.InvalidUtf8 => "bytes that are not UTF-8 (a lone surrogate)",
        Mutation.GarbageBytes => "garbage bytes",
        Mutation.TruncatedMessage => "the valid message cut short by one byte",
        _ => kind.ToString(),
    };

    private static MethodDescriptor OrderMethod(string name) => Api.OrderService.Descriptor.FindMethodByName(name);

    private static MethodDescriptor RefundMethod(string name) => RefundService.Descriptor.FindMethodByName(name);

    private static Task<IMessage> Message(IMessage message) => Task.FromResult(message);

    private static HandCase Case<T>(string path, string what, Expectation expect, Func<T, CorpusContext, Task> change)
        where T : IMessage => new(path, what, expect, (request, context) => change((T)request, context));

    private static HandCase Case<T>(string path, string what, Expectation expect, Action<T> change)
        where T : IMessage => new(path, what, expect, (request, _) =>
        {
            change((T)request);
            return Task.CompletedTask;
        });

    private static Refused Precondition(string reason, bool inLine = false) => new(StatusCode.FailedPrecondition, reason, inLine);

    private static Refused NotFound(bool inLine = false) => new(StatusCode.NotFound, "ORDER_NOT_FOUND", inLine);

    /// <summary>A well-formed order id no order has.</summary>
    private static string Unknown() => NewId("250-NONE");

    /// <summary>An order of another seller and buyer.</summary>
    private static Task<string> Foreign(CorpusContext context) =>
        context.Once("foreign", async () => (await OrderIn(context.Server, OrderStatus.Shipped, NewId("S"), NewId("B"))).OrderId);

    /// <summary>The wrong-status cases of an action that names its order in
    /// <paramref name="path"/>, from docs/lifecycle.md's table.</summary>
    private static IEnumerable<HandCase> WrongStatus<T>(string path, Action<T, string> setOrder, bool inLine, params (OrderStatus Status, string Reason)[] refusals)
        where T : IMessage =>
        refusals.Select(refusal => Case<T>(path, $"an order in {refusal.Status} (lifecycle.md)", Precondition(refusal.Reason, inLine),
            async (request, context) => setOrder(request, await context.Order(refusal.Status))));

    /// <summary>The purchase window the list and report filters use, fixed per context so that a
    /// page token or cursor made for them stays valid.</summary>
    private static Task<(Timestamp Start, Timestamp End)> Window(CorpusContext context) =>
        context.Once("window", () =>
        {
            var now = DateTimeOffset.UtcNow;
            return Task.FromResult((Timestamp.FromDateTimeOffset(now.AddDays(-1)), Timestamp.FromDateTimeOffset(now.AddHours(1))));
        });

    private static ChargeAmount Charge(ChargeComponent component, long yen) => new() { Component = component, Amount = Yen(yen) };

    private static CorpusRpc CreateOrder() => new(OrderMethod("CreateOrder"), "marketplace", Mutates: true,
        context => Message(TestData.CreateOrder(context.Seller, context.Buyer)),
        () =>
        [
            Case<CreateOrderRequest>("order_id", "the id of an order that exists", new Refused(StatusCode.AlreadyExists, "ORDER_ALREADY_EXISTS"),
                async (request, context) => request.OrderId = await context.Order(OrderStatus.Pending)),
            Case<CreateOrderRequest>("order_id", "65 characters (1-64)", new Invalid("order_id"), r => r.OrderId = new string('7', 65)),
            Case<CreateOrderRequest>("seller_id", "a space inside", new Invalid("seller_id"), r => r.SellerId = "SELLER 1"),
            Case<CreateOrderRequest>("currency_code", "XXX: well formed, no supported currency", new Invalid("currency_code"), r => r.CurrencyCode = "XXX"),
            Case<CreateOrderRequest>("items[0].quantity", "10,001 units (1-10000)", new Invalid("items[0].quantity"), r => r.Items[0].Quantity = 10_001),
            Case<CreateOrderRequest>("items[0].title", "501 characters (1-500)", new Invalid("items[0].title"), r => r.Items[0].Title = new string('t', 501)),
            Case<CreateOrderRequest>("items[0].unit_charges[0].component", "a deduction (RESTOCKING_FEE) as a charge",
                new Invalid("items[0].unit_charges[0].component", "DEDUCTION_NOT_A_CHARGE"), r => r.Items[0].UnitCharges[0].Component = ChargeComponent.RestockingFee),
            Case<CreateOrderRequest>("items[0].unit_charges[0].component", "GIFT_WRAP instead of PRINCIPAL: no PRINCIPAL left",
                new Invalid("items[0].unit_charges", "PRINCIPAL_REQUIRED"), r => r.Items[0].UnitCharges[0].Component = ChargeComponent.GiftWrap),
        ]);

    private static CorpusRpc AuthorizePayment() => new(OrderMethod("AuthorizePayment"), "marketplace", Mutates: true,
        async context =>
        {
            var request = Authorize(await context.Order(OrderStatus.Pending));
            request.ShippingAddress.PhoneNumber = "03-1234-5678";
            request.BuyerContact.PhoneNumber = "090-1234-5678";
            return request;
        },
        () =>
        [
            .. WrongStatus<AuthorizePaymentRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Unshipped, "PAYMENT_ALREADY_AUTHORIZED"), (OrderStatus.PartiallyShipped, "PAYMENT_ALREADY_AUTHORIZED"),
                (OrderStatus.Shipped, "PAYMENT_ALREADY_AUTHORIZED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<AuthorizePaymentRequest>("order_id", "an order purchased 22 days ago (R4)", Precondition("PAYMENT_VERIFICATION_EXPIRED"),
                async (request, context) => request.OrderId = await context.Once("expired", async () =>
                    (await OrderIn(context.Server, OrderStatus.Pending, context.Seller, context.Buyer,
                        purchasedAt: DateTimeOffset.UtcNow.AddDays(-22), latestShipAt: DateTimeOffset.UtcNow.AddDays(-21))).OrderId)),
            Case<AuthorizePaymentRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<AuthorizePaymentRequest>("request_id", "the request_id of another, accepted request (AIP-155)",
                new Refused(StatusCode.AlreadyExists, "REQUEST_ID_REUSED"),
                async (request, context) => request.RequestId = await context.Once("used-request-id", async () =>
                {
                    var used = Authorize(await context.Order(OrderStatus.Pending, "used"));
                    using var marketplace = context.Server.Marketplace();
                    await marketplace.Orders.AuthorizePaymentAsync(used);
                    return used.RequestId;
                })),
            Case<AuthorizePaymentRequest>("buyer_contact.email", "no @", new Invalid("buyer_contact.email"), r => r.BuyerContact.Email = "hanako.example.jp"),
            Case<AuthorizePaymentRequest>("shipping_address.region_code", "lower case", new Invalid("shipping_address.region_code"), r => r.ShippingAddress.RegionCode = "jp"),
            Case<AuthorizePaymentRequest>("shipping_address.region_code", "three letters", new Invalid("shipping_address.region_code"), r => r.ShippingAddress.RegionCode = "JPN"),
        ]);

    private static CorpusRpc GetOrder() => new(OrderMethod("GetOrder"), "seller", Mutates: false,
        async context => new GetOrderRequest { OrderId = await context.Order(OrderStatus.Unshipped) },
        () =>
        [
            Case<GetOrderRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<GetOrderRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
        ]);

    private static async Task<IMessage> ValidListOrders(CorpusContext context)
    {
        var (start, end) = await Window(context);
        return new ListOrdersRequest
        {
            PageSize = 10,
            Statuses = { OrderStatus.Unshipped },
            PurchaseTimeStart = start,
            PurchaseTimeEnd = end,
            HasBuyerCancellationRequest = false,
        };
    }

    /// <summary>A next_page_token ListOrders returned for the valid request's filters.</summary>
    private static Task<string> ListOrdersToken(CorpusContext context) => context.Once("list-token", async () =>
    {
        await context.Order(OrderStatus.Unshipped, "1");
        await context.Order(OrderStatus.Unshipped, "2");
        var request = (ListOrdersRequest)await ValidListOrders(context);
        request.PageSize = 1;
        using var seller = context.Server.Seller(context.Seller);
        var token = (await seller.Orders.ListOrdersAsync(request)).NextPageToken;
        Assert.NotEmpty(token);
        return token;
    });

    /// <summary>A page token or report cursor with one field of its JSON changed.</summary>
    private static string Forged(string token, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token))!.AsObject();
        change(json);
        return System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <summary>The forged tokens every paged or resumable read must refuse, naming
    /// <paramref name="field"/>: made from a real one, <paramref name="real"/>.</summary>
    private static IEnumerable<HandCase> ForgedTokens<T>(string field, Action<T, string> set, Func<CorpusContext, Task<string>> real)
        where T : IMessage
    {
        HandCase Forge(string what, Func<string, string> forge) =>
            Case<T>(field, what, new Invalid(field), async (request, context) => set(request, forge(await real(context))));

        yield return Case<T>(field, "one this service returned for these fields", new Accepted("a real token"),
            async (request, context) => set(request, await real(context)));
        yield return Case<T>(field, "not base64url", new Invalid(field), r => set(r, "!!!not-a-token!!!"));
        yield return Case<T>(field, "base64url of bytes that are not JSON", new Invalid(field), r => set(r, "bm90IGpzb24"));
        yield return Forge("the real one cut short", token => token[..^3]);
        yield return Forge("its position's id empty", token => Forged(token, json => json["OrderId"] = ""));
        yield return Forge("its position's id 65 characters", token => Forged(token, json => json["OrderId"] = new string('9', 65)));
        yield return Forge("its position's id with a NUL", token => Forged(token, json => json["OrderId"] = "250-0000001\0"));
        yield return Forge("its position's id with control characters", token => Forged(token, json => json["OrderId"] = "250\u001b[2J\u0007"));
        yield return Forge("its position's time past year 9999", token => Forged(token, json => json["PurchasedAtTicks"] = long.MaxValue));
        yield return Forge("its position's time negative", token => Forged(token, json => json["PurchasedAtTicks"] = -1));
        yield return Forge("its filter fingerprint changed", token => Forged(token, json => json["FilterHash"] = "0000000000000000"));
        yield return Forge("its filter fingerprint missing", token => Forged(token, json => json.Remove("FilterHash")));
    }

    private static CorpusRpc ListOrders() => new(OrderMethod("ListOrders"), "seller", Mutates: false,
        ValidListOrders,
        () =>
        [
            .. ForgedTokens<ListOrdersRequest>("page_token", (r, token) => r.PageToken = token, ListOrdersToken),
            Case<ListOrdersRequest>("page_token", "a token returned for other filters", new Invalid("page_token"), async (request, context) =>
            {
                await ListOrdersToken(context); // two orders to page through
                using var seller = context.Server.Seller(context.Seller);
                request.PageToken = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1 })).NextPageToken;
            }),
            Case<ListOrdersRequest>("page_token", "a cursor of the order report", new Invalid("page_token"),
                async (request, context) => request.PageToken = await ReportCursor(context)),
            Case<ListOrdersRequest>("page_token", "a page token of ListRefunds", new Invalid("page_token"),
                async (request, context) => request.PageToken = await ListRefundsToken(context)),
        ]);

    private static CorpusRpc ConfirmShipment() => new(OrderMethod("ConfirmShipment"), "seller", Mutates: true,
        async context =>
        {
            var request = Ship(await context.Order(OrderStatus.Unshipped), ("A", 1));
            request.ShipTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1));
            return request;
        },
        () =>
        [
            .. WrongStatus<ConfirmShipmentRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Shipped, "ORDER_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<ConfirmShipmentRequest>("order_id", "an order whose buyer asked to cancel, not acknowledged (R13)", Precondition("BUYER_CANCELLATION_REQUESTED"),
                async (request, context) => request.OrderId = await BuyerRequested(context)),
            Case<ConfirmShipmentRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<ConfirmShipmentRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<ConfirmShipmentRequest>("lines[0].quantity", "3 units of an item with 2 unshipped", Precondition("QUANTITY_EXCEEDS_UNSHIPPED"), r => r.Lines[0].Quantity = 3),
            Case<ConfirmShipmentRequest>("lines[0].quantity", "10,001 units (at most 10000)", new Invalid("lines[0].quantity"), r => r.Lines[0].Quantity = 10_001),
            Case<ConfirmShipmentRequest>("lines[0].order_item_id", "an item the order does not have",
                new Invalid("lines[0].order_item_id", "UNKNOWN_ORDER_ITEM"), r => r.Lines[0].OrderItemId = "Z"),
            Case<ConfirmShipmentRequest>("carrier", "101 characters (1-100)", new Invalid("carrier"), r => r.Carrier = new string('c', 101)),
            Case<ConfirmShipmentRequest>("ship_time", "an hour before the purchase", new Invalid("ship_time", "SHIP_TIME_BEFORE_PURCHASE"),
                r => r.ShipTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2))),
            Case<ConfirmShipmentRequest>("ship_time", "an hour from now", new Invalid("ship_time", "TIME_IN_FUTURE"),
                r => r.ShipTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1))),
        ]);

    /// <summary>An UNSHIPPED order whose buyer asked to cancel it (R13).</summary>
    private static Task<string> BuyerRequested(CorpusContext context) => context.Once("buyer-requested", async () =>
    {
        var orderId = await context.Order(OrderStatus.Unshipped, "requested");
        using var buyer = context.Server.Buyer(context.Buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(orderId));
        return orderId;
    });

    private static CorpusRpc CancelOrder() => new(OrderMethod("CancelOrder"), "seller", Mutates: true,
        async context =>
        {
            var request = Cancel(await context.Order(OrderStatus.Unshipped), CancelReason.NoInventory, CancellationRequester.Seller);
            request.Note = "Out of stock";
            return request;
        },
        () =>
        [
            .. WrongStatus<CancelOrderRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.PartiallyShipped, "ORDER_PARTIALLY_SHIPPED"),
                (OrderStatus.Shipped, "ORDER_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<CancelOrderRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<CancelOrderRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<CancelOrderRequest>("reason", "SHIP_DATE_MISSED, the service's own (R5)", new Invalid("reason", "REASON_RESERVED"), r => r.Reason = CancelReason.ShipDateMissed),
            Case<CancelOrderRequest>("reason", "PAYMENT_NOT_AUTHORIZED, the service's own (R4)", new Invalid("reason", "REASON_RESERVED"), r => r.Reason = CancelReason.PaymentNotAuthorized),
            Case<CancelOrderRequest>("requester", "BUYER_OFFICIAL, set only by the service (R14)", new Invalid("requester", "REQUESTER_NOT_ALLOWED"),
                r => r.Requester = CancellationRequester.BuyerOfficial),
            Case<CancelOrderRequest>("requester", "MARKETPLACE, set only by the service", new Invalid("requester", "REQUESTER_NOT_ALLOWED"),
                r => r.Requester = CancellationRequester.Marketplace),
            Case<CancelOrderRequest>("note", "1001 characters (at most 1000)", new Invalid("note"), r => r.Note = new string('n', 1001)),
        ]);

    private static CorpusRpc SubmitCancellationFeed() => new(OrderMethod("SubmitCancellationFeed"), "seller", Mutates: true,
        async context => new SubmitCancellationFeedRequest
        {
            RequestId = RequestId(),
            Lines =
            {
                new CancellationFeedLine
                {
                    OrderId = await context.Order(OrderStatus.Unshipped),
                    Reason = CancelReason.NoInventory,
                    Requester = CancellationRequester.Seller,
                    Note = "Out of stock",
                },
            },
        },
        () =>
        [
            .. WrongStatus<SubmitCancellationFeedRequest>("lines[0].order_id", (r, id) => r.Lines[0].OrderId = id, true,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.PartiallyShipped, "ORDER_PARTIALLY_SHIPPED"),
                (OrderStatus.Shipped, "ORDER_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<SubmitCancellationFeedRequest>("lines[0].order_id", "no such order", NotFound(inLine: true), r => r.Lines[0].OrderId = Unknown()),
            Case<SubmitCancellationFeedRequest>("lines[0].order_id", "another seller's order", NotFound(inLine: true),
                async (r, context) => r.Lines[0].OrderId = await Foreign(context)),
            Case<SubmitCancellationFeedRequest>("lines[0].reason", "SHIP_DATE_MISSED, the service's own (R5)",
                new Invalid("reason", "REASON_RESERVED", InLine: true), r => r.Lines[0].Reason = CancelReason.ShipDateMissed),
            Case<SubmitCancellationFeedRequest>("lines[0].requester", "BUYER_OFFICIAL, set only by the service (R14)",
                new Invalid("requester", "REQUESTER_NOT_ALLOWED", InLine: true), r => r.Lines[0].Requester = CancellationRequester.BuyerOfficial),
        ],
        LinePrefix: "lines[0].");

    private static CorpusRpc RequestCancellation() => new(OrderMethod("RequestCancellation"), "buyer", Mutates: true,
        async context => BuyerRequest(await context.Order(OrderStatus.Unshipped)),
        () =>
        [
            .. WrongStatus<RequestCancellationRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Shipped, "ORDER_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<RequestCancellationRequest>("order_id", "an order whose buyer asked already (R13)", Precondition("CANCELLATION_ALREADY_REQUESTED"),
                async (request, context) => request.OrderId = await BuyerRequested(context)),
            Case<RequestCancellationRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<RequestCancellationRequest>("order_id", "another buyer's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<RequestCancellationRequest>("reason", "501 characters (1-500)", new Invalid("reason"), r => r.Reason = new string('r', 501)),
        ]);

    private static CorpusRpc RequestAddressChange() => new(OrderMethod("RequestAddressChange"), "buyer", Mutates: true,
        async context => new RequestAddressChangeRequest
        {
            RequestId = RequestId(),
            OrderId = await context.Order(OrderStatus.Unshipped),
            Reason = "I am moving house before it arrives.",
        },
        () =>
        [
            .. WrongStatus<RequestAddressChangeRequest>("order_id", (r, id) => r.OrderId = id, false, (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<RequestAddressChangeRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<RequestAddressChangeRequest>("order_id", "another buyer's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<RequestAddressChangeRequest>("reason", "501 characters (1-500)", new Invalid("reason"), r => r.Reason = new string('r', 501)),
        ]);

    private static CorpusRpc RequestCarrierReturn() => new(OrderMethod("RequestCarrierReturn"), "seller", Mutates: true,
        async context => new RequestCarrierReturnRequest
        {
            RequestId = RequestId(),
            OrderId = await context.Order(OrderStatus.Shipped),
            Cause = CarrierReturnCause.BuyerCannotReceive,
            Note = "The buyer moved.",
        },
        () =>
        [
            .. WrongStatus<RequestCarrierReturnRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Unshipped, "ORDER_NOT_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<RequestCarrierReturnRequest>("order_id", "an order whose package is already coming back", Precondition("CARRIER_RETURN_IN_PROGRESS"),
                async (request, context) => request.OrderId = await context.Once("carrier-return", async () =>
                {
                    var orderId = await context.Order(OrderStatus.Shipped, "returning");
                    using var seller = context.Server.Seller(context.Seller);
                    await seller.Orders.RequestCarrierReturnAsync(new RequestCarrierReturnRequest
                    {
                        RequestId = RequestId(), OrderId = orderId, Cause = CarrierReturnCause.BuyerNotResponding,
                    });
                    return orderId;
                })),
            Case<RequestCarrierReturnRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<RequestCarrierReturnRequest>("note", "1001 characters (at most 1000)", new Invalid("note"), r => r.Note = new string('n', 1001)),
        ]);

    private static CorpusRpc GetCancellationMetrics() => new(OrderMethod("GetCancellationMetrics"), "seller", Mutates: false,
        context => Message(new GetCancellationMetricsRequest { Window = Duration.FromTimeSpan(TimeSpan.FromDays(7)) }),
        () =>
        [
            Case<GetCancellationMetricsRequest>("window", "59 minutes (1 hour to 90 days)", new Invalid("window"), r => r.Window = Duration.FromTimeSpan(TimeSpan.FromMinutes(59))),
            Case<GetCancellationMetricsRequest>("window", "90 days and a second", new Invalid("window"), r => r.Window = Duration.FromTimeSpan(TimeSpan.FromDays(90).Add(TimeSpan.FromSeconds(1)))),
        ]);

    private static CorpusRpc GetReplyTemplate() => new(OrderMethod("GetReplyTemplate"), "seller", Mutates: false,
        async context => new GetReplyTemplateRequest
        {
            TemplateId = ReplyTemplateId.T1UseOfficialCancellation,
            OrderId = await context.Order(OrderStatus.Unshipped),
            LanguageCode = "ja",
        },
        () =>
        [
            Case<GetReplyTemplateRequest>("language_code", "fr", new Invalid("language_code", "UNSUPPORTED_LANGUAGE"), r => r.LanguageCode = "fr"),
            Case<GetReplyTemplateRequest>("language_code", "ja with an empty subtag", new Invalid("language_code", "UNSUPPORTED_LANGUAGE"), r => r.LanguageCode = "ja-"),
            Case<GetReplyTemplateRequest>("template_id", "7, one past T6", new Invalid("template_id"), r => r.TemplateId = (ReplyTemplateId)7),
            Case<GetReplyTemplateRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<GetReplyTemplateRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
        ]);

    private static async Task<IMessage> ValidReport(CorpusContext context)
    {
        var (start, end) = await Window(context);
        await context.Order(OrderStatus.Unshipped); // a row to report
        return new StreamOrderReportRequest
        {
            ReportType = OrderReportType.AllOrders,
            PurchaseTimeStart = start,
            PurchaseTimeEnd = end,
            IncludeBuyerCancellationRequest = true,
        };
    }

    /// <summary>The cursor of the first row of the valid report request.</summary>
    private static Task<string> ReportCursor(CorpusContext context, OrderReportType type = OrderReportType.AllOrders) =>
        context.Once($"report-cursor/{type}", async () =>
        {
            var request = (StreamOrderReportRequest)await ValidReport(context);
            request.ReportType = type;
            using var seller = context.Server.Seller(context.Seller);
            using var call = seller.Orders.StreamOrderReport(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            return call.ResponseStream.Current.Cursor;
        });

    private static CorpusRpc StreamOrderReport() => new(OrderMethod("StreamOrderReport"), "seller", Mutates: false,
        ValidReport,
        () =>
        [
            .. ForgedTokens<StreamOrderReportRequest>("resume_after", (r, cursor) => r.ResumeAfter = cursor, context => ReportCursor(context)),
            Case<StreamOrderReportRequest>("resume_after", "a cursor of the unshipped-orders report", new Invalid("resume_after"),
                async (request, context) => request.ResumeAfter = await ReportCursor(context, OrderReportType.UnshippedOrders)),
            Case<StreamOrderReportRequest>("resume_after", "a page token of ListOrders", new Invalid("resume_after"),
                async (request, context) => request.ResumeAfter = await ListOrdersToken(context)),
        ]);

    private static CorpusRpc GetRefundableAmounts() => new(RefundMethod("GetRefundableAmounts"), "seller", Mutates: false,
        async context => new GetRefundableAmountsRequest { OrderId = await context.Order(OrderStatus.Shipped) },
        () =>
        [
            Case<GetRefundableAmountsRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<GetRefundableAmountsRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
        ]);

    private static ItemRefund ValidItemRefund() => new()
    {
        OrderItemId = "A",
        Amounts = { Charge(ChargeComponent.Principal, 100) },
        Deductions = { Charge(ChargeComponent.RestockingFee, 10) },
    };

    private static CorpusRpc RefundOrder() => new(RefundMethod("RefundOrder"), "seller", Mutates: true,
        async context => new RefundOrderRequest
        {
            RequestId = RequestId(),
            OrderId = await context.Order(OrderStatus.Shipped),
            Reason = AdjustmentReason.CustomerReturn,
            Items = { ValidItemRefund() },
        },
        () =>
        [
            .. WrongStatus<RefundOrderRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Unshipped, "ORDER_NOT_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<RefundOrderRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<RefundOrderRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<RefundOrderRequest>("order_id and items[0].amounts[0].amount",
                "1,500 yen of a PARTIALLY_SHIPPED item's principal, 1,099 of it shipped (R24; two fields)", Precondition("UNSHIPPED_UNITS_NOT_REFUNDABLE"),
                async (request, context) =>
                {
                    request.OrderId = await context.Order(OrderStatus.PartiallyShipped);
                    request.Items[0].Amounts[0].Amount = Yen(1500);
                }),
            Case<RefundOrderRequest>("items[0].amounts[0].amount", "1,000,000 yen, above what was charged (R22)", Precondition("AMOUNT_EXCEEDS_REFUNDABLE"),
                r => r.Items[0].Amounts[0].Amount = Yen(1_000_000)),
            Case<RefundOrderRequest>("items[0].amounts[0].amount", "zero, below the deduction", new Invalid("items[0].deductions", "DEDUCTIONS_EXCEED_REFUND"),
                r => r.Items[0].Amounts[0].Amount = Yen(0)),
            Case<RefundOrderRequest>("items[0].amounts[0].component", "GIFT_WRAP, never charged", new Invalid("items[0].amounts[0].component", "COMPONENT_NOT_CHARGED"),
                r => r.Items[0].Amounts[0].Component = ChargeComponent.GiftWrap),
            Case<RefundOrderRequest>("items[0].amounts[0].component", "a deduction (RESTOCKING_FEE) as an amount",
                new Invalid("items[0].amounts[0].component", "DEDUCTION_NOT_A_CHARGE"), r => r.Items[0].Amounts[0].Component = ChargeComponent.RestockingFee),
            Case<RefundOrderRequest>("items[0].deductions[0].component", "PRINCIPAL as a deduction",
                new Invalid("items[0].deductions[0].component", "NOT_A_DEDUCTION"), r => r.Items[0].Deductions[0].Component = ChargeComponent.Principal),
            Case<RefundOrderRequest>("items[0].deductions[0].amount", "1,000 yen, more than the 100 refunded",
                new Invalid("items[0].deductions", "DEDUCTIONS_EXCEED_REFUND"), r => r.Items[0].Deductions[0].Amount = Yen(1000)),
            Case<RefundOrderRequest>("items[0].deductions[0].amount", "100 yen, all of the 100 refunded", new Invalid("items", "NOTHING_TO_REFUND"),
                r => r.Items[0].Deductions[0].Amount = Yen(100)),
            Case<RefundOrderRequest>("items[0].order_item_id", "an item the order does not have", new Invalid("items[0].order_item_id", "UNKNOWN_ORDER_ITEM"),
                r => r.Items[0].OrderItemId = "Z"),
            Case<RefundOrderRequest>("reason", "19, one past the last code", new Invalid("reason"), r => r.Reason = (AdjustmentReason)19),
        ]);

    private static CorpusRpc CancelItems() => new(RefundMethod("CancelItems"), "seller", Mutates: true,
        async context => new CancelItemsRequest
        {
            RequestId = RequestId(),
            OrderId = await context.Order(OrderStatus.Unshipped),
            Items = { new ItemCancellation { OrderItemId = "A", Quantity = 1 } },
            Reason = CancelReason.NoInventory,
            Requester = CancellationRequester.Seller,
        },
        () =>
        [
            .. WrongStatus<CancelItemsRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Shipped, "ORDER_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<CancelItemsRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<CancelItemsRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<CancelItemsRequest>("items[0].quantity", "3 units of an item with 2 unshipped", Precondition("QUANTITY_EXCEEDS_UNSHIPPED"), r => r.Items[0].Quantity = 3),
            Case<CancelItemsRequest>("items[0].order_item_id", "an item the order does not have", new Invalid("items[0].order_item_id", "UNKNOWN_ORDER_ITEM"),
                r => r.Items[0].OrderItemId = "Z"),
            Case<CancelItemsRequest>("reason", "SHIP_DATE_MISSED, the service's own (R5)", new Invalid("reason", "REASON_RESERVED"), r => r.Reason = CancelReason.ShipDateMissed),
            Case<CancelItemsRequest>("requester", "BUYER_OFFICIAL, set only by the service (R14)", new Invalid("requester", "REQUESTER_NOT_ALLOWED"),
                r => r.Requester = CancellationRequester.BuyerOfficial),
        ]);

    private static CorpusRpc SubmitAdjustmentFeed() => new(RefundMethod("SubmitAdjustmentFeed"), "seller", Mutates: true,
        async context => new SubmitAdjustmentFeedRequest
        {
            RequestId = RequestId(),
            Lines =
            {
                new AdjustmentFeedLine { OrderId = await context.Order(OrderStatus.Shipped), Reason = AdjustmentReason.CustomerReturn, Items = { ValidItemRefund() } },
            },
        },
        () =>
        [
            .. WrongStatus<SubmitAdjustmentFeedRequest>("lines[0].order_id", (r, id) => r.Lines[0].OrderId = id, true,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Unshipped, "ORDER_NOT_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<SubmitAdjustmentFeedRequest>("lines[0].order_id", "no such order", NotFound(inLine: true), r => r.Lines[0].OrderId = Unknown()),
            Case<SubmitAdjustmentFeedRequest>("lines[0].order_id", "another seller's order", NotFound(inLine: true),
                async (r, context) => r.Lines[0].OrderId = await Foreign(context)),
            Case<SubmitAdjustmentFeedRequest>("lines[0].items[0].amounts[0].amount", "1,000,000 yen, above what was charged (R22)",
                Precondition("AMOUNT_EXCEEDS_REFUNDABLE", inLine: true), r => r.Lines[0].Items[0].Amounts[0].Amount = Yen(1_000_000)),
            Case<SubmitAdjustmentFeedRequest>("lines[0].items[0].order_item_id", "an item the order does not have",
                new Invalid("items[0].order_item_id", "UNKNOWN_ORDER_ITEM", InLine: true), r => r.Lines[0].Items[0].OrderItemId = "Z"),
        ],
        LinePrefix: "lines[0].");

    private static CorpusRpc RecordReturn() => new(RefundMethod("RecordReturn"), "seller", Mutates: true,
        async context => new RecordReturnRequest
        {
            RequestId = RequestId(),
            OrderId = await context.Order(OrderStatus.Shipped),
            Lines = { new ReturnLine { OrderItemId = "A", QuantityReceived = 1 } },
            Deductions = { Charge(ChargeComponent.ReturnShipping, 100) },
        },
        () =>
        [
            .. WrongStatus<RecordReturnRequest>("order_id", (r, id) => r.OrderId = id, false,
                (OrderStatus.Pending, "ORDER_PENDING"), (OrderStatus.Unshipped, "ORDER_NOT_SHIPPED"), (OrderStatus.Canceled, "ORDER_CANCELED")),
            Case<RecordReturnRequest>("order_id", "no such order", NotFound(), r => r.OrderId = Unknown()),
            Case<RecordReturnRequest>("order_id", "another seller's order", NotFound(), async (r, context) => r.OrderId = await Foreign(context)),
            Case<RecordReturnRequest>("lines[0].quantity_received", "3 units of an item with 2 shipped", Precondition("QUANTITY_EXCEEDS_RETURNABLE"),
                r => r.Lines[0].QuantityReceived = 3),
            Case<RecordReturnRequest>("lines[0].order_item_id", "an item the order does not have", new Invalid("lines[0].order_item_id", "UNKNOWN_ORDER_ITEM"),
                r => r.Lines[0].OrderItemId = "Z"),
            Case<RecordReturnRequest>("deductions[0].component", "PRINCIPAL as a deduction", new Invalid("deductions[0].component", "NOT_A_DEDUCTION"),
                r => r.Deductions[0].Component = ChargeComponent.Principal),
            Case<RecordReturnRequest>("deductions[0].amount", "1,000,000 yen, more than the return refunds", Precondition("DEDUCTIONS_EXCEED_REFUND"),
                r => r.Deductions[0].Amount = Yen(1_000_000)),
        ]);

    /// <summary>A next_page_token ListRefunds returned for the valid request (two refunds of
    /// the context's SHIPPED order).</summary>
    private static Task<string> ListRefundsToken(CorpusContext context) => context.Once("refund-token", async () =>
    {
        var orderId = await context.Order(OrderStatus.Shipped);
        using var seller = context.Server.Seller(context.Seller);
        for (var i = 0; i < 2; i++)
        {
            await seller.Refunds.RefundOrderAsync(new RefundOrderRequest
            {
                RequestId = RequestId(), OrderId = orderId, Reason = AdjustmentReason.GeneralAdjustment,
                Items = { new ItemRefund { OrderItemId = "A", Amounts = { Charge(ChargeComponent.Principal, 10) } } },
            });
        }

        var token = (await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { PageSize = 1, OrderId = orderId })).NextPageToken;
        Assert.NotEmpty(token);
        return token;
    });

    private static CorpusRpc ListRefunds() => new(RefundMethod("ListRefunds"), "seller", Mutates: false,
        async context => new ListRefundsRequest { PageSize = 10, OrderId = await context.Order(OrderStatus.Shipped) },
        () =>
        [
            .. ForgedTokens<ListRefundsRequest>("page_token", (r, token) => r.PageToken = token, ListRefundsToken),
            Case<ListRefundsRequest>("page_token", "a token returned for other filters (no order_id)", new Invalid("page_token"), async (request, context) =>
            {
                await ListRefundsToken(context); // two refunds to page through
                using var seller = context.Server.Seller(context.Seller);
                request.PageToken = (await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { PageSize = 1 })).NextPageToken;
            }),
            Case<ListRefundsRequest>("page_token", "a page token of ListOrders", new Invalid("page_token"),
                async (request, context) => request.PageToken = await ListOrdersToken(context)),
        ]);

    /// <summary>The log's position now, as the buyer's subscription reports it.</summary>
    private static Task<string> StartCursor(CorpusContext context) => context.Once("start-cursor", async () =>
    {
        using var buyer = context.Server.Buyer(context.Buyer);
        using var call = buyer.Notifications.Subscribe(new SubscribeRequest());
        var cursor = (await call.ResponseHeadersAsync).GetValue(Server.Notifications.NotificationFeed.StartCursorHeader);
        Assert.False(string.IsNullOrEmpty(cursor));
        return cursor;
    });

    private static CorpusRpc Subscribe() => new(NotificationService.Descriptor.FindMethodByName("Subscribe"), "buyer", Mutates: false,
        async context => new SubscribeRequest
        {
            ResumeAfter = await StartCursor(context),
            Types_ = { NotificationType.OrderCreated },
            OrderIds = { await context.Order(OrderStatus.Unshipped) },
        },
        () =>
        [
            .. new[] { "-1", "+1", "1.0", "1e3", " 1", "0x1F", "\uff11", "99999999999999999999" }.Select(cursor =>
                Case<SubscribeRequest>("resume_after", $"'{cursor}', not digits of a cursor", new Invalid("resume_after"), r => r.ResumeAfter = cursor)),
            Case<SubscribeRequest>("resume_after", "int64 maximum, beyond the log", new Refused(StatusCode.OutOfRange, "CURSOR_AHEAD_OF_LOG"),
                r => r.ResumeAfter = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Case<SubscribeRequest>("resume_after", "a million past the newest notice", new Refused(StatusCode.OutOfRange, "CURSOR_AHEAD_OF_LOG"),
                r => r.ResumeAfter = (long.Parse(r.ResumeAfter, System.Globalization.CultureInfo.InvariantCulture) + 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Case<SubscribeRequest>("types[0]", "PAYMENT_AUTHORIZED, never sent to buyers", new Invalid("types[0]"), r => r.Types_[0] = NotificationType.PaymentAuthorized),
        ]);
}
