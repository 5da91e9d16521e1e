namespace OrderService.Domain;

/// <summary>The reply templates T1-T5 of docs/domain-rules.md, and the service's own T6 (see
/// docs/decisions.md). The numbers are those of the contract's
/// <c>ReplyTemplateId</c> (REPLY_TEMPLATE_ID_T1_USE_OFFICIAL_CANCELLATION = 1, ...).</summary>
public enum ReplyTemplateId
{
    /// <summary>T1: the buyer asked to cancel by message; the official route keeps the
    /// cancellation off the seller's rate (R13-R15).</summary>
    T1UseOfficialCancellation = 1,
    /// <summary>T2: the order is PENDING; only the marketplace can help (R2).</summary>
    T2PendingContactCustomerService = 2,
    /// <summary>T3: the order shipped; return it after arrival for a refund (R12).</summary>
    T3ShippedReturnForRefund = 3,
    /// <summary>T4: cannot receive at the address, not shipped; cancel and order again (R41).</summary>
    T4CancelAndReorder = 4,
    /// <summary>T5: the order is canceled; place a new order (R16).</summary>
    T5PlaceNewOrder = 5,
    /// <summary>T6, the service's own (the seller help has no text for it): shipped, and the
    /// buyer cannot receive it; the carrier brings it back and the refund keeps the return
    /// fee (R42, R43).</summary>
    T6CarrierReturn = 6,
}

/// <summary>The replies a seller sends a buyer (T1-T6), in Japanese or English, filled in
/// for one order: its id, its items and, when known, the buyer's name. The text follows the
/// marketplace's seller help (docs/domain-rules.md): the official route is spelled as the buyer sees
/// it. Nothing of the shipping address is used, and a PENDING order has no buyer name (R1),
/// so it gets a neutral greeting.</summary>
public static class ReplyTemplates
{
    /// <summary>The languages the templates exist in, as BCP-47 primary language subtags.</summary>
    public static readonly IReadOnlyList<string> Languages = ["ja", "en"];

    /// <summary>The official cancellation route in English (R13).</summary>
    public const string OfficialRouteEn = "Your Account > Your Orders > Request cancellation";

    /// <summary>The official cancellation route as the Japanese seller help words it (R13).</summary>
    public const string OfficialRouteJa = "アカウントサービス、注文履歴、キャンセル依頼";

    /// <summary>Template <paramref name="id"/> in <paramref name="languageCode"/> ("ja" or
    /// "en"; a region subtag such as "ja-JP" is accepted) for <paramref name="order"/>.</summary>
    public static (string Subject, string Body) Render(ReplyTemplateId id, string languageCode, Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!Enum.IsDefined(id))
        {
            throw DomainException.Invalid("template_id", "UNKNOWN_TEMPLATE", "template_id must be one of T1 to T6.");
        }

        var japanese = IsJapanese(languageCode);
        var text = japanese ? Japanese(id, order.Id) : English(id, order.Id);
        var body = string.Join("\n\n",
            japanese ? GreetingJa(order) : GreetingEn(order),
            text.Opening,
            OrderSummary(order, japanese),
            text.Message,
            japanese ? "よろしくお願いいたします。" : "Thank you for your understanding.");
        return (text.Subject, body);
    }

    private static bool IsJapanese(string? languageCode)
    {
        var primary = (languageCode ?? "").Split('-')[0];
        return primary.ToLowerInvariant() switch
        {
            "ja" => true,
            "en" => false,
            _ => throw DomainException.Invalid("language_code", "UNSUPPORTED_LANGUAGE",
                $"language_code '{languageCode}' is not supported; supported: {string.Join(", ", Languages)}."),
        };
    }

    private static string GreetingJa(Order order) =>
        order.BuyerContact is { Name: var name } && !string.IsNullOrWhiteSpace(name) ? $"{name} 様" : "お客様";

    private static string GreetingEn(Order order) =>
        order.BuyerContact is { Name: var name } && !string.IsNullOrWhiteSpace(name) ? $"Dear {name}," : "Dear customer,";

    private static string OrderSummary(Order order, bool japanese) =>
        string.Join("\n", order.Items
            .Select(item => japanese
                ? $"・{item.Title}（数量：{item.QuantityOrdered}）"
                : $"- {item.Title} (quantity: {item.QuantityOrdered})")
            .Prepend(japanese ? $"注文番号：{order.Id}" : $"Order: {order.Id}"));

    private sealed record Text(string Subject, string Opening, string Message);

    private static Text Japanese(ReplyTemplateId id, string orderId) => id switch
    {
        ReplyTemplateId.T1UseOfficialCancellation => new(
            $"ご注文のキャンセルについて（注文番号：{orderId}）",
            "このたびはご注文いただき、誠にありがとうございます。\nご注文のキャンセルをご希望とのご連絡をいただき、ありがとうございます。",
            "キャンセルは、お客様のアカウントから公式の手順でご依頼いただけます。"
            + $"お手数ですが、{OfficialRouteJa}の順にクリックし、こちらのご注文を選択してキャンセルをご依頼ください。"
            + "ご依頼を確認次第、速やかにキャンセルの手続きをいたします。\nご不明な点がございましたら、お気軽にお問い合わせください。"),
        ReplyTemplateId.T2PendingContactCustomerService => new(
            $"ご注文についてのお問い合わせ（注文番号：{orderId}）",
            "このたびはご注文いただき、誠にありがとうございます。\nお問い合わせいただき、ありがとうございます。",
            "こちらのご注文は、現在お支払い方法の確認中（保留中）のため、当店では発送やキャンセルなどの手続きを行うことができません。"
            + "\n恐れ入りますが、ご注文に関するお問い合わせは、マーケットプレイスのカスタマーサービスまで直接ご連絡くださいますようお願いいたします。"
            + "\nご不便をおかけして申し訳ございません。"),
        ReplyTemplateId.T3ShippedReturnForRefund => new(
            $"ご注文の商品の発送について（注文番号：{orderId}）",
            "ご連絡いただき、ありがとうございます。",
            "ご注文の商品はすでに発送しており、現在お客様のもとへ配送中のため、ご注文をキャンセルすることができません。"
            + "\nお手数をおかけいたしますが、商品がお手元に届きましたら、当店までご返品ください。返品された商品を受け取り次第、返金いたします。"),
        ReplyTemplateId.T4CancelAndReorder => new(
            $"お届け先住所について（注文番号：{orderId}）",
            "ご連絡いただき、ありがとうございます。",
            "ご注文のお届け先住所は、ご注文後に変更することができません。こちらのご注文はまだ発送しておりません。"
            + $"\nお手数ですが、{OfficialRouteJa}の順にクリックしてこのご注文のキャンセルをご依頼いただき、"
            + "お受け取りが可能な住所で改めてご注文くださいますようお願いいたします。"),
        ReplyTemplateId.T5PlaceNewOrder => new(
            $"再度のご注文について（注文番号：{orderId}）",
            "ご連絡いただき、ありがとうございます。",
            "こちらのご注文はすでにキャンセルされており、キャンセルされたご注文を再開することはできません。"
            + "\n恐れ入りますが、商品をご希望の場合は、新たにご注文くださいますようお願いいたします。またのご利用を心よりお待ちしております。"),
        ReplyTemplateId.T6CarrierReturn => new(
            $"お届け先でのお受け取りについて（注文番号：{orderId}）",
            "ご連絡いただき、ありがとうございます。",
            "ご注文のお届け先住所は、ご注文後に変更することができません。また、こちらのご注文はすでに発送しております。"
            + "\nお手数をおかけいたしますが、当店より配送会社に依頼し、商品を当店へ返送いたします。"
            + "商品が当店に戻り次第、返品手数料を差し引いた金額を返金いたします。"),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, null),
    };

    private static Text English(ReplyTemplateId id, string orderId) => id switch
    {
        ReplyTemplateId.T1UseOfficialCancellation => new(
            $"Cancellation of your order {orderId}",
            "Thank you for your order, and for letting us know that you would like to cancel it.",
            "Please request the cancellation from your account, through the official route: "
            + $"go to {OfficialRouteEn}, and select this order. "
            + "We will cancel the order as soon as we receive your request.\nIf you have any questions, please feel free to contact us."),
        ReplyTemplateId.T2PendingContactCustomerService => new(
            $"Your question about order {orderId}",
            "Thank you for your order and for your message.",
            "The payment method for this order is still being verified, so the order is pending and we are not able to ship, cancel or change it. "
            + "For any question about this order, please contact the marketplace's customer service directly.\nWe apologize for the inconvenience."),
        ReplyTemplateId.T3ShippedReturnForRefund => new(
            $"Your order {orderId} is on its way",
            "Thank you for your message.",
            "Your order has already shipped and is on its way to you, so it can no longer be canceled. "
            + "Once the item arrives, please return it to us; we will refund you as soon as we receive the returned item."),
        ReplyTemplateId.T4CancelAndReorder => new(
            $"Delivery address of your order {orderId}",
            "Thank you for letting us know that you cannot receive your order at its delivery address.",
            "The delivery address of an order cannot be changed once the order is placed. Your order has not shipped yet, "
            + $"so please request its cancellation ({OfficialRouteEn}) and place a new order with an address where you can receive it."),
        ReplyTemplateId.T5PlaceNewOrder => new(
            $"Ordering again after order {orderId}",
            "Thank you for your message.",
            "This order has been canceled, and a canceled order cannot be reopened. "
            + "If you would still like the item, please place a new order. We look forward to serving you again."),
        ReplyTemplateId.T6CarrierReturn => new(
            $"Delivery of your order {orderId}",
            "Thank you for letting us know that you cannot receive your order at its delivery address.",
            "The delivery address of an order cannot be changed once the order is placed, and your order has already shipped. "
            + "We will ask the carrier to bring the package back to us; as soon as it is back, we will refund you, minus the return fee."),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, null),
    };
}
