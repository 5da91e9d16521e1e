using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>GetReplyTemplate: the seller's replies T1-T5 (R2, R12, R15, R16, R41) in
/// Japanese and English, filled in for one of its orders.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReplyTemplateTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    public static TheoryData<ReplyTemplateId, string> EveryTemplate()
    {
        var data = new TheoryData<ReplyTemplateId, string>();
        foreach (var id in Enum.GetValues<ReplyTemplateId>().Where(id => id != ReplyTemplateId.Unspecified))
        {
            data.Add(id, "ja");
            data.Add(id, "en");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTemplate))]
    public async Task Every_template_exists_in_both_languages_filled_in_with_the_order(ReplyTemplateId id, string language)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var template = (await seller.Orders.GetReplyTemplateAsync(Request(id, order.OrderId, language))).Template;

        Assert.Equal(id, template.TemplateId);
        Assert.Equal(language, template.LanguageCode);
        Assert.False(string.IsNullOrWhiteSpace(template.Subject));
        Assert.Contains(order.OrderId, template.Body, StringComparison.Ordinal);
        Assert.Contains(language == "ja" ? "Tea cup（数量：2）" : "Tea cup (quantity: 2)", template.Body, StringComparison.Ordinal);
        // The templates never repeat the address (R40-R43: the address is the marketplace's).
        Assert.DoesNotContain("Jingumae", template.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R15_T1_in_English_spells_the_official_cancellation_route()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var template = (await seller.Orders.GetReplyTemplateAsync(Request(ReplyTemplateId.T1UseOfficialCancellation, order.OrderId, "en"))).Template;

        Assert.Contains("Your Account > Your Orders > Request cancellation", template.Body, StringComparison.Ordinal);
        Assert.Contains("Dear Hanako Yamada,", template.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R15_T1_in_Japanese_spells_the_official_cancellation_route()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var template = (await seller.Orders.GetReplyTemplateAsync(Request(ReplyTemplateId.T1UseOfficialCancellation, order.OrderId, "ja"))).Template;

        Assert.Contains("アカウントサービス、注文履歴、キャンセル依頼", template.Body, StringComparison.Ordinal);
        Assert.Contains($"注文番号：{order.OrderId}", template.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R1_R2_a_reply_about_a_pending_order_greets_neutrally_and_shows_no_contact_data()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var en = (await seller.Orders.GetReplyTemplateAsync(Request(ReplyTemplateId.T2PendingContactCustomerService, order.OrderId, "en"))).Template;

        Assert.Contains("Dear customer,", en.Body, StringComparison.Ordinal);
        Assert.Contains("customer service", en.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Hanako", en.Body, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<GetReplyTemplateRequest>> InvalidTemplateRequests => new()
    {
        { "template_id", r => r.TemplateId = ReplyTemplateId.Unspecified },
        { "template_id", r => r.TemplateId = (ReplyTemplateId)99 },
        { "order_id", r => r.OrderId = "" },
        { "language_code", r => r.LanguageCode = "" },
        { "language_code", r => r.LanguageCode = "fr" },
        { "language_code", r => r.LanguageCode = "ja_JP" },
        { "language_code", r => r.LanguageCode = "ja-" },
        { "language_code", r => r.LanguageCode = "english" },
    };

    [Theory]
    [MemberData(nameof(InvalidTemplateRequests))]
    public async Task An_invalid_template_request_is_invalid_argument_naming_the_field(string field, Action<GetReplyTemplateRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = Request(ReplyTemplateId.T5PlaceNewOrder, order.OrderId, "en");
        spoil(request);

        await Expect.InvalidArgument(field, () => seller.Orders.GetReplyTemplateAsync(request).ResponseAsync);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("de-DE")]
    [InlineData("ja_JP")]
    public async Task An_unsupported_language_is_invalid_argument_even_for_an_unknown_order(string language)
    {
        using var seller = server.Seller(_seller);

        // Checked before the order is looked up: the same request gets the same answer
        // whatever the order id names.
        var error = await Expect.InvalidArgument("language_code", () => seller.Orders.GetReplyTemplateAsync(
            Request(ReplyTemplateId.T1UseOfficialCancellation, NewId("missing"), language)).ResponseAsync);

        Assert.Equal("UNSUPPORTED_LANGUAGE", error.Reason());
        Assert.DoesNotContain("order_id", error.InvalidFields());
    }

    [Fact]
    public async Task An_unsupported_language_is_named_with_the_other_invalid_fields()
    {
        using var seller = server.Seller(_seller);

        var error = await Expect.InvalidArgument("language_code", () => seller.Orders.GetReplyTemplateAsync(
            Request(ReplyTemplateId.Unspecified, NewId("missing"), "fr")).ResponseAsync);

        Assert.Contains("template_id", error.InvalidFields());
    }

    [Theory]
    [InlineData("ja-JP", "ja")]
    [InlineData("EN-us", "en")]
    [InlineData("JA", "ja")]
    public async Task A_region_or_upper_case_selects_the_same_language(string requested, string answered)
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var template = (await seller.Orders.GetReplyTemplateAsync(Request(ReplyTemplateId.T5PlaceNewOrder, order.OrderId, requested))).Template;

        Assert.Equal(answered, template.LanguageCode);
    }

    [Fact]
    public async Task Only_the_orders_seller_may_fill_a_template_in()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var otherSeller = server.Seller(NewId("S"));
        using var buyer = server.Buyer(_buyer);
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(_seller);
        var request = Request(ReplyTemplateId.T3ShippedReturnForRefund, order.OrderId, "ja");

        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND", () => otherSeller.Orders.GetReplyTemplateAsync(request).ResponseAsync);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => seller.Orders.GetReplyTemplateAsync(Request(ReplyTemplateId.T3ShippedReturnForRefund, NewId("missing"), "ja")).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => buyer.Orders.GetReplyTemplateAsync(request).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED", () => marketplace.Orders.GetReplyTemplateAsync(request).ResponseAsync);
    }

    private static GetReplyTemplateRequest Request(ReplyTemplateId id, string orderId, string language) =>
        new() { TemplateId = id, OrderId = orderId, LanguageCode = language };
}
