using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>What the bad-input corpus (issue 12, BadInputCorpusTests) found in
/// the server, each pinned by the case that found it, written out on its own.</summary>
[Collection(ServerCollection.Name)]
public sealed class CorpusFindingsTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    /// <summary>Guid parsing trims white space, so "uuid\n" was taken as a request_id (and the
    /// order created), where the contract asks for a UUID and identifiers end where their
    /// characters end.</summary>
    [Theory]
    [InlineData("\n", "")]
    [InlineData(" ", "")]
    [InlineData("", "\t")]
    public async Task A_request_id_with_white_space_around_the_uuid_is_refused_and_creates_nothing(string after, string before)
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        request.RequestId = before + request.RequestId + after;

        await Expect.InvalidArgument("request_id", () => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);

        Assert.False(await server.QueryDatabaseAsync(db => db.Orders.AnyAsync(o => o.Id == request.OrderId)));
    }

    /// <summary>A well-formed code of no supported currency, with the amounts in JPY: every
    /// amount was named as not in the order's currency, and currency_code, the field at fault,
    /// was not.</summary>
    [Fact]
    public async Task An_unsupported_order_currency_is_named_not_the_amounts_in_another()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        request.CurrencyCode = "XXX";

        var refused = await Expect.Failure(StatusCode.InvalidArgument, "UNSUPPORTED_CURRENCY",
            () => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);

        Assert.Equal(["currency_code"], refused.InvalidFields());
    }

    /// <summary>Control characters (an escape sequence) passed the e-mail check, which refused
    /// only white space and a missing '@'.</summary>
    [Fact]
    public async Task A_buyer_e_mail_with_control_characters_is_refused()
    {
        using var marketplace = server.Marketplace();
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var request = Authorize(order.OrderId);
        request.BuyerContact.Email = "hanako@buyers.example.invalid\u001b[2J\u0007";

        await Expect.InvalidArgument("buyer_contact.email", () => marketplace.Orders.AuthorizePaymentAsync(request).ResponseAsync);

        using var seller = server.Seller(_seller);
        Assert.Equal(OrderStatus.Pending, (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Status);
    }

    /// <summary>A page token whose position holds an id that is no identifier: a NUL in it
    /// reached PostgreSQL as a query parameter and answered INTERNAL (ListOrders, ListRefunds
    /// and the report's cursor share the token); other characters were taken as a position.</summary>
    [Theory]
    [InlineData("250-0000001\u0000")]
    [InlineData("250\u001b[2J")]
    [InlineData("250 0000001")]
    public async Task A_page_token_whose_position_is_not_an_identifier_is_invalid_argument(string forgedId)
    {
        using var seller = server.Seller(_seller);
        await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var token = (await seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1 })).NextPageToken;
        var json = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token))!.AsObject();
        json["OrderId"] = forgedId;
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));

        await Expect.InvalidArgument("page_token", () => seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1, PageToken = forged }).ResponseAsync);
    }
}
