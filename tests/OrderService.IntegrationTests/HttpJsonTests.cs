using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Access;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The HTTP/JSON routes (README, "HTTP/JSON"): the google.api.http routes of the
/// protos, transcoded to the gRPC methods through the in-process server's HTTP client. The
/// routes do not depend on the endpoint (the real server's HTTP/1.1 port is tried by
/// scripts/smoke-test.sh). The same token, access rules, interceptors and errors apply: an
/// error is a google.rpc.Status as JSON with its details.</summary>
[Collection(ServerCollection.Name)]
public sealed class HttpJsonTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task An_order_created_with_a_JSON_post_is_read_back_with_a_JSON_get()
    {
        using var http = Client("marketplace", "intake-service");
        var orderId = NewId("250");
        var purchase = DateTimeOffset.UtcNow.AddHours(-1);
        var body = $$"""
            {
              "requestId": "{{RequestId()}}",
              "orderId": "{{orderId}}",
              "sellerId": "{{_seller}}",
              "buyerId": "{{_buyer}}",
              "currencyCode": "JPY",
              "purchaseTime": "{{purchase.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}",
              "latestShipTime": "{{purchase.AddDays(2).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}",
              "items": [{
                "orderItemId": "A", "sku": "SKU-A", "title": "Tea cup", "quantity": 2,
                "unitCharges": [{"component": "CHARGE_COMPONENT_PRINCIPAL", "amount": {"currencyCode": "JPY", "units": "1099"} }]
              }]
            }
            """;

        using var created = await http.PostAsync("/v1/orders", Json(body));
        using var read = await http.GetAsync($"/v1/orders/{orderId}");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
        var createdOrder = (await ReadJson(created)).GetProperty("order");
        Assert.Equal(orderId, createdOrder.GetProperty("orderId").GetString());
        Assert.Equal("ORDER_STATUS_PENDING", createdOrder.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var order = (await ReadJson(read)).GetProperty("order");
        Assert.Equal(_seller, order.GetProperty("sellerId").GetString());
        Assert.Equal("ORDER_STATUS_PENDING", order.GetProperty("status").GetString());
        var item = order.GetProperty("items")[0];
        Assert.Equal(2, item.GetProperty("quantityUnshipped").GetInt32());
        // The proto3 JSON mapping: a 64-bit integer is a string.
        Assert.Equal("1099", item.GetProperty("unitCharges")[0].GetProperty("amount").GetProperty("units").GetString());
        // The same order through gRPC.
        using var grpc = server.Seller(_seller);
        Assert.Equal(OrderStatus.Pending, (await grpc.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId })).Order.Status);
    }

    [Fact]
    public async Task The_cancel_custom_method_cancels_the_order()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var http = Client("seller", _seller);

        using var canceled = await http.PostAsync($"/v1/orders/{order.OrderId}:cancel",
            Json($$"""{"requestId": "{{RequestId()}}", "reason": "CANCEL_REASON_NO_INVENTORY", "note": "out of stock"}"""));
        using var read = await http.GetAsync($"/v1/orders/{order.OrderId}");

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        var answer = await ReadJson(canceled);
        Assert.Equal("ORDER_STATUS_CANCELED", answer.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("CANCEL_REASON_NO_INVENTORY", answer.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.True(answer.GetProperty("rateImpact").GetProperty("countsAgainstSellerRate").GetBoolean());
        Assert.Equal("ORDER_STATUS_CANCELED", (await ReadJson(read)).GetProperty("order").GetProperty("status").GetString());
        using var grpc = server.Seller(_seller);
        Assert.Equal(OrderStatus.Canceled, (await grpc.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Status);
    }

    [Fact]
    public async Task A_JSON_retry_of_a_gRPC_call_with_its_request_id_gets_the_first_answer()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var grpc = server.Seller(_seller);
        var cancel = Cancel(order.OrderId);
        var first = await grpc.Orders.CancelOrderAsync(cancel);
        using var http = Client("seller", _seller);

        using var retry = await http.PostAsync($"/v1/orders/{order.OrderId}:cancel", Json(JsonFormatter.Default.Format(cancel)));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var replayed = JsonParser.Default.Parse<CancelOrderResponse>(await retry.Content.ReadAsStringAsync());
        Assert.Equal(first, replayed);
    }

    [Fact]
    public async Task A_request_of_the_wrong_shape_is_400_with_a_status_naming_the_fields()
    {
        using var http = Client("marketplace", "intake-service");
        var request = CreateOrder(_seller, _buyer);
        request.Items[0].Quantity = 0;

        using var response = await http.PostAsync("/v1/orders", Json(JsonFormatter.Default.Format(request)));

        var status = await ReadStatus(response, HttpStatusCode.BadRequest, Code.InvalidArgument);
        Assert.Equal("INVALID_FIELD", Info(status).Reason);
        Assert.Equal("items[0].quantity", Info(status).Metadata["field"]);
        Assert.Equal(new[] { "items[0].quantity" }, status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_refusal_is_400_with_its_reason_and_precondition_failure()
    {
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var http = Client("seller", _seller);

        using var response = await http.PostAsync($"/v1/orders/{pending.OrderId}:cancel",
            Json($$"""{"requestId": "{{RequestId()}}", "reason": "CANCEL_REASON_NO_INVENTORY"}"""));

        var status = await ReadStatus(response, HttpStatusCode.BadRequest, Code.FailedPrecondition);
        var info = Info(status);
        Assert.Equal("ORDER_PENDING", info.Reason);
        Assert.Equal("PENDING", info.Metadata["order_status"]);
        Assert.Equal("T2", info.Metadata["reply_template"]);
        var violation = Assert.Single(status.GetDetail<PreconditionFailure>()!.Violations);
        Assert.Equal("ORDER_PENDING", violation.Type);
        // The details are written with their type, as google.protobuf.Any is in JSON.
        Assert.Contains("\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_order_is_404_and_another_sellers_order_looks_the_same()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var other = Client("seller", NewId("S"));

        using var response = await other.GetAsync($"/v1/orders/{order.OrderId}");

        var status = await ReadStatus(response, HttpStatusCode.NotFound, Code.NotFound);
        Assert.Equal("ORDER_NOT_FOUND", Info(status).Reason);
        Assert.Equal($"orders/{order.OrderId}", Info(status).Metadata["resource"]);
    }

    [Fact]
    public async Task A_call_without_a_token_is_401_with_a_status_and_the_wrong_role_is_403()
    {
        using var anonymous = server.CreateClient();
        using var buyer = Client("buyer", _buyer);

        using var noToken = await anonymous.GetAsync("/v1/orders/250-anything");
        using var badToken = await SendWithToken(anonymous, "not-a-jwt", HttpMethod.Get, "/v1/orders/250-anything");
        using var wrongRole = await buyer.PostAsync("/v1/orders", Json(JsonFormatter.Default.Format(CreateOrder(_seller, _buyer))));

        var missing = await ReadStatus(noToken, HttpStatusCode.Unauthorized, Code.Unauthenticated);
        Assert.Equal("TOKEN_MISSING", Info(missing).Reason);
        Assert.Equal("Bearer", noToken.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("TOKEN_INVALID", Info(await ReadStatus(badToken, HttpStatusCode.Unauthorized, Code.Unauthenticated)).Reason);
        var denied = Info(await ReadStatus(wrongRole, HttpStatusCode.Forbidden, Code.PermissionDenied));
        Assert.Equal("ROLE_NOT_ALLOWED", denied.Reason);
        Assert.Equal("marketplace", denied.Metadata["allowed_roles"]);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_400_malformed_request_saying_where()
    {
        using var http = Client("seller", _seller);

        using var response = await http.PostAsync("/v1/orders/250-any:cancel", Json("{\"requestId\": \"x\",, }"));

        var status = await ReadStatus(response, HttpStatusCode.BadRequest, Code.InvalidArgument);
        Assert.Equal("MALFORMED_REQUEST", Info(status).Reason);
        Assert.Equal("/orderservice.v1.OrderService/CancelOrder", Info(status).Metadata["method"]);
        Assert.Contains("BytePositionInLine: 18", status.Message);
        Assert.Null(status.GetDetail<BadRequest>());
    }

    [Fact]
    public async Task JSON_values_that_do_not_fit_their_fields_are_400_invalid_field_naming_each()
    {
        using var http = Client("marketplace", "intake-service");
        var body = """
            {"orderId": 7, "purchaseTime": "yesterday",
             "items": [{"quantity": "two", "unitCharges": [{"component": "CHARGE_COMPONENT_TIP", "amount": {"units": "1.5e"}}]}, null]}
            """;

        using var response = await http.PostAsync("/v1/orders", Json(body));

        var status = await ReadStatus(response, HttpStatusCode.BadRequest, Code.InvalidArgument);
        Assert.Equal("INVALID_FIELD", Info(status).Reason);
        Assert.Equal(
            new[] { "order_id", "purchase_time", "items[0].quantity", "items[0].unit_charges[0].component", "items[0].unit_charges[0].amount.units", "items[1]" },
            status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Query_parameters_that_do_not_fit_their_fields_are_400_invalid_field()
    {
        using var http = Client("seller", _seller);

        using var response = await http.GetAsync("/v1/orders?pageSize=ten&statuses=ORDER_STATUS_UNSHIPPED&statuses=SOLD&hasBuyerCancellationRequest=maybe");
        using var fine = await http.GetAsync("/v1/orders?pageSize=10&statuses=ORDER_STATUS_UNSHIPPED&statuses=ORDER_STATUS_SHIPPED&hasBuyerCancellationRequest=false");

        var status = await ReadStatus(response, HttpStatusCode.BadRequest, Code.InvalidArgument);
        Assert.Equal(new[] { "page_size", "statuses", "has_buyer_cancellation_request" }, status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_body_not_declared_JSON_is_415_and_no_body_is_an_empty_request()
    {
        using var http = Client("seller", _seller);

        using var form = await http.PostAsync("/v1/orders/250-any:cancel", new StringContent("reason=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var empty = await http.PostAsync("/v1/orders/250-any:cancel", content: null);

        var refused = await ReadStatus(form, HttpStatusCode.UnsupportedMediaType, Code.InvalidArgument);
        Assert.Equal("MALFORMED_REQUEST", Info(refused).Reason);
        var required = await ReadStatus(empty, HttpStatusCode.BadRequest, Code.InvalidArgument);
        Assert.Equal("INVALID_FIELD", Info(required).Reason);
        Assert.Contains("request_id", required.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task The_refund_routes_list_an_orders_refunds_both_ways()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var http = Client("seller", _seller);

        using var refunded = await http.PostAsync($"/v1/orders/{order.OrderId}:refund",
            Json($$"""{"requestId": "{{RequestId()}}", "reason": "ADJUSTMENT_REASON_GENERAL_ADJUSTMENT"}"""));
        using var nested = await http.GetAsync($"/v1/orders/{order.OrderId}/refunds");
        using var filtered = await http.GetAsync($"/v1/refunds?orderId={order.OrderId}");
        using var amounts = await http.GetAsync($"/v1/orders/{order.OrderId}/refundableAmounts");

        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var refundId = (await ReadJson(refunded)).GetProperty("refund").GetProperty("refundId").GetString();
        Assert.Equal(refundId, Assert.Single((await ReadJson(nested)).GetProperty("refunds").EnumerateArray()).GetProperty("refundId").GetString());
        Assert.Equal(refundId, Assert.Single((await ReadJson(filtered)).GetProperty("refunds").EnumerateArray()).GetProperty("refundId").GetString());
        Assert.Equal(HttpStatusCode.OK, amounts.StatusCode);
        Assert.Equal("JPY", (await ReadJson(amounts)).GetProperty("currencyCode").GetString());
    }

    [Fact]
    public async Task The_order_report_streams_one_JSON_row_per_line()
    {
        var first = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer, purchasedAt: DateTimeOffset.UtcNow.AddHours(-3));
        var second = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer, purchasedAt: DateTimeOffset.UtcNow.AddHours(-2));
        await OrderIn(server, OrderStatus.Pending, _seller, _buyer); // never in a report (R30)
        using var http = Client("seller", _seller);

        using var response = await http.GetAsync("/v1/orders:streamReport?reportType=ORDER_REPORT_TYPE_UNSHIPPED_ORDERS");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Select(line => JsonParser.Default.Parse<StreamOrderReportResponse>(line)).ToList();
        Assert.Equal(new[] { first.OrderId, second.OrderId }, rows.Select(r => r.Order.OrderId));
        Assert.All(rows, row => Assert.NotEmpty(row.Cursor));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_routes_of_the_protos()
    {
        using var anonymous = server.CreateClient();

        using var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await ReadJson(response);
        var paths = document.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var (path, method) in new[]
        {
            ("/v1/orders", "post"), ("/v1/orders", "get"), ("/v1/orders/{orderId}", "get"),
            ("/v1/orders/{orderId}:cancel", "post"), ("/v1/orders/{orderId}:authorizePayment", "post"),
            ("/v1/orders/{orderId}:confirmShipment", "post"), ("/v1/orders/{orderId}:requestCancellation", "post"),
            ("/v1/orders/{orderId}:requestAddressChange", "post"), ("/v1/orders/{orderId}:requestCarrierReturn", "post"),
            ("/v1/orders/{orderId}:cancelItems", "post"), ("/v1/orders/{orderId}:refund", "post"),
            ("/v1/orders/{orderId}:recordReturn", "post"), ("/v1/orders/{orderId}/refundableAmounts", "get"),
            ("/v1/orders/{orderId}/refunds", "get"), ("/v1/refunds", "get"), ("/v1/cancellationFeeds", "post"),
            ("/v1/adjustmentFeeds", "post"), ("/v1/cancellationMetrics", "get"), ("/v1/orders/{orderId}/replyTemplate", "get"),
            ("/v1/orders:streamReport", "get"),
        })
        {
            Assert.True(paths.TryGetValue(path, out var operations) && operations.TryGetProperty(method, out _), $"{method} {path} is not in the document");
        }

        // Every method of the two services has a route; Subscribe (gRPC only) has none.
        var operationCount = paths.Values.Sum(p => p.EnumerateObject().Count());
        Assert.Equal(Contracts.V1.OrderService.Descriptor.Methods.Count + RefundService.Descriptor.Methods.Count + 1, operationCount); // + ListRefunds' second route
        Assert.DoesNotContain(paths.Keys, p => p.Contains("ubscribe", StringComparison.Ordinal));
        var components = document.GetProperty("components");
        Assert.Equal("bearer", components.GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        // As the routes write it: a 64-bit integer is a string.
        Assert.Equal("string", components.GetProperty("schemas").GetProperty("Money").GetProperty("properties").GetProperty("units").GetProperty("type").GetString());
    }

    private HttpClient Client(string role, string id)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TokenMinter.Mint(ServerFixture.Tokens, role, id, TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        return client;
    }

    private static Task<HttpResponseMessage> SendWithToken(HttpClient client, string token, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "application/json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the HTTP status and reads the body as a google.rpc.Status (its details
    /// resolved through their @type) with the expected code.</summary>
    internal static async Task<Google.Rpc.Status> ReadStatus(HttpResponseMessage response, HttpStatusCode httpStatus, Code code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(httpStatus == response.StatusCode, $"Expected HTTP {(int)httpStatus}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = StatusParser.Parse<Google.Rpc.Status>(text);
        Assert.Equal((int)code, status.Code);
        Assert.False(string.IsNullOrEmpty(status.Message));
        return status;
    }

    internal static ErrorInfo Info(Google.Rpc.Status status)
    {
        var info = status.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"The status carries no ErrorInfo: {status}");
        Assert.Equal("orderservice", info.Domain);
        return info;
    }

    private static readonly JsonParser StatusParser = new(JsonParser.Settings.Default.WithTypeRegistry(
        Google.Protobuf.Reflection.TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));
}

/// <summary>The per-caller rate limit covers the HTTP/JSON routes too, from the same bucket
/// as the caller's gRPC calls.</summary>
public sealed class HttpJsonRateLimitTests
{
    [Fact]
    public async Task A_caller_over_its_limit_gets_429_with_retry_after_and_a_status_whichever_way_it_calls()
    {
        await using var server = await ServerFixture.StartIsolatedAsync(settings: new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerSecond"] = "1",
            ["RateLimiting:Burst"] = "3",
        });
        using var grpc = server.Seller("SELLER-HTTP-RATE");
        // Use up the caller's bucket (a burst of 3) by gRPC until gRPC says so: a slow first
        // call may see the bucket refilled once (1 a second).
        for (var i = 0; ; i++)
        {
            Assert.True(i < 10, "gRPC calls were never limited");
            var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-none" }).ResponseAsync);
            if (refused.StatusCode == StatusCode.ResourceExhausted)
            {
                break;
            }

            Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        }

        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TokenMinter.Mint(ServerFixture.Tokens, "seller", "SELLER-HTTP-RATE", TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        // The same bucket: limited at once, or after the one token a refill may have added
        // since; a bucket of its own would serve 3 calls first.
        var limited = await http.GetAsync("/v1/orders/250-none");
        if (limited.StatusCode != HttpStatusCode.TooManyRequests)
        {
            Assert.Equal(HttpStatusCode.NotFound, limited.StatusCode);
            limited.Dispose();
            limited = await http.GetAsync("/v1/orders/250-none");
        }

        using var _ = limited;
        using var document = await http.GetAsync("/openapi/v1.json");

        var status = await HttpJsonTests.ReadStatus(limited, HttpStatusCode.TooManyRequests, Code.ResourceExhausted);
        Assert.Equal("RATE_LIMITED", HttpJsonTests.Info(status).Reason);
        var retry = status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
        Assert.True(retry > TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(Math.Ceiling(retry.TotalSeconds)), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode); // the document is not limited

        await Task.Delay(retry + TimeSpan.FromMilliseconds(200));
        using var served = await http.GetAsync("/v1/orders/250-none");
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }
}
