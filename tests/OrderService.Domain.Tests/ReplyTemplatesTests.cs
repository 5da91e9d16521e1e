namespace OrderService.Domain.Tests;

public sealed class ReplyTemplatesTests
{
    public static TheoryData<ReplyTemplateId, string> Every
    {
        get
        {
            var data = new TheoryData<ReplyTemplateId, string>();
            foreach (var id in Enum.GetValues<ReplyTemplateId>())
            {
                data.Add(id, "ja");
                data.Add(id, "en");
            }

            return data;
        }
    }

    [Fact]
    public void The_template_ids_are_the_contracts_numbers()
    {
        Assert.Equal(
            [1, 2, 3, 4, 5],
            new[]
            {
                ReplyTemplateId.T1UseOfficialCancellation, ReplyTemplateId.T2PendingContactCustomerService,
                ReplyTemplateId.T3ShippedReturnForRefund, ReplyTemplateId.T4CancelAndReorder, ReplyTemplateId.T5PlaceNewOrder,
            }.Select(id => (int)id));
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_template_names_the_order_and_its_items_and_never_the_address(ReplyTemplateId id, string language)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var (subject, body) = ReplyTemplates.Render(id, language, order);

        Assert.Contains("250-0000001-0000001", subject, StringComparison.Ordinal);
        Assert.Contains("250-0000001-0000001", body, StringComparison.Ordinal);
        Assert.Contains("Tea cup", body, StringComparison.Ordinal);
        Assert.Contains("Teapot", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Shibuya", body, StringComparison.Ordinal);
        Assert.DoesNotContain("{", subject + body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void R1_a_pending_order_gets_a_neutral_greeting(ReplyTemplateId id, string language)
    {
        var (_, body) = ReplyTemplates.Render(id, language, TestOrders.In(OrderStatus.Pending));

        Assert.StartsWith(language == "ja" ? "お客様\n" : "Dear customer,\n", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja", "Hanako Yamada 様\n")]
    [InlineData("en", "Dear Hanako Yamada,\n")]
    public void The_buyer_is_greeted_by_name_once_known(string language, string greeting)
    {
        var (_, body) = ReplyTemplates.Render(ReplyTemplateId.T3ShippedReturnForRefund, language, TestOrders.In(OrderStatus.Shipped));

        Assert.StartsWith(greeting, body, StringComparison.Ordinal);
    }

    [Fact]
    public void R15_T1_in_japanese_gives_the_official_route_as_the_seller_help_words_it()
    {
        var (subject, body) = ReplyTemplates.Render(ReplyTemplateId.T1UseOfficialCancellation, "ja", TestOrders.In(OrderStatus.Unshipped));

        Assert.Contains("キャンセル", subject, StringComparison.Ordinal);
        Assert.Contains("アカウントサービス、注文履歴、キャンセル依頼の順にクリック", body, StringComparison.Ordinal);
        Assert.Contains("注文番号：250-0000001-0000001", body, StringComparison.Ordinal);
        Assert.EndsWith("よろしくお願いいたします。", body, StringComparison.Ordinal);
    }

    [Fact]
    public void R15_T1_in_english_gives_the_official_route()
    {
        var (subject, body) = ReplyTemplates.Render(ReplyTemplateId.T1UseOfficialCancellation, "en", TestOrders.In(OrderStatus.Unshipped));

        Assert.Contains("Cancellation", subject, StringComparison.Ordinal);
        Assert.Contains("Your Account > Your Orders > Request cancellation", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReplyTemplateId.T2PendingContactCustomerService, "ja", "カスタマーサービス")]
    [InlineData(ReplyTemplateId.T2PendingContactCustomerService, "en", "contact the marketplace's customer service")]
    [InlineData(ReplyTemplateId.T3ShippedReturnForRefund, "ja", "商品がお手元に届きましたら、当店までご返品ください。返品された商品を受け取り次第、返金いたします。")]
    [InlineData(ReplyTemplateId.T3ShippedReturnForRefund, "en", "on its way")]
    [InlineData(ReplyTemplateId.T3ShippedReturnForRefund, "en", "Once the item arrives, please return it to us; we will refund you")]
    [InlineData(ReplyTemplateId.T4CancelAndReorder, "ja", "アカウントサービス、注文履歴、キャンセル依頼の順にクリック")]
    [InlineData(ReplyTemplateId.T4CancelAndReorder, "ja", "お受け取りが可能な住所で改めてご注文ください")]
    [InlineData(ReplyTemplateId.T4CancelAndReorder, "en", "place a new order with an address where you can receive it")]
    [InlineData(ReplyTemplateId.T5PlaceNewOrder, "ja", "新たにご注文ください")]
    [InlineData(ReplyTemplateId.T5PlaceNewOrder, "en", "please place a new order")]
    public void R2_R12_R16_R41_each_template_says_what_the_buyer_should_do(ReplyTemplateId id, string language, string expected)
    {
        var (_, body) = ReplyTemplates.Render(id, language, TestOrders.In(OrderStatus.Unshipped));

        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "様")]
    [InlineData("JA", "様")]
    [InlineData("en-US", "Dear")]
    public void A_region_subtag_or_upper_case_still_selects_the_language(string language, string expected)
    {
        var (_, body) = ReplyTemplates.Render(ReplyTemplateId.T5PlaceNewOrder, language, TestOrders.In(OrderStatus.Canceled));

        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("jp")]
    [InlineData("")]
    public void An_unsupported_language_is_an_invalid_argument(string language)
    {
        var refusal = Assert.Throws<DomainException>(() =>
            ReplyTemplates.Render(ReplyTemplateId.T1UseOfficialCancellation, language, TestOrders.In(OrderStatus.Unshipped)));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("language_code", refusal.Field);
        Assert.Equal("UNSUPPORTED_LANGUAGE", refusal.Reason);
    }

    [Fact]
    public void An_unknown_template_is_an_invalid_argument()
    {
        var refusal = Assert.Throws<DomainException>(() => ReplyTemplates.Render(0, "en", TestOrders.In(OrderStatus.Unshipped)));

        Assert.Equal("template_id", refusal.Field);
        Assert.Equal("UNKNOWN_TEMPLATE", refusal.Reason);
    }
}
