using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderService.Contracts.V1;

namespace OrderService.Client.Tests;

[Collection(ServerCollection.Name)]
public sealed class ClientLibraryTests(ServerProcess server)
{
    private readonly Orders _orders = new();

    [Fact]
    public async Task A_request_without_a_request_id_gets_one_and_sending_it_again_changes_nothing()
    {
        using var marketplace = server.As("marketplace", "intake");
        var request = _orders.Create(_orders.OrderId(10));

        var first = await marketplace.Orders.CreateOrderAsync(request);
        Assert.True(Guid.TryParse(request.RequestId, out _), "the client set a UUID on the caller's message");
        // A retry after a lost answer sends the same message: the first answer, no ALREADY_EXISTS.
        var again = await marketplace.Orders.CreateOrderAsync(request);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_raw_connection_sends_what_it_was_given()
    {
        using var raw = OrderServiceConnection.CreateRaw(server.Address, ServerProcess.Token("marketplace", "intake"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => raw.Orders.CreateOrderAsync(_orders.Create(_orders.OrderId(11))).ResponseAsync);

        Assert.Contains("request_id", refused.Details().InvalidFields);
    }

    [Fact]
    public async Task The_client_factory_registration_calls_with_a_token_from_the_provider()
    {
        using var marketplace = server.As("marketplace", "intake");
        var orderId = _orders.OrderId(12);
        await marketplace.Orders.CreateOrderAsync(_orders.Create(orderId));
        await marketplace.Orders.AuthorizePaymentAsync(Orders.Authorize(orderId));
        var tokensAsked = 0;
        var services = new ServiceCollection().AddOrderServiceClients(o =>
        {
            o.Address = server.Address;
            o.TokenProvider = (_, _) =>
            {
                Interlocked.Increment(ref tokensAsked);
                return ValueTask.FromResult(ServerProcess.Token("seller", _orders.SellerId));
            };
        });
        await using var provider = services.BuildServiceProvider();

        var orders = provider.GetRequiredService<Contracts.V1.OrderService.OrderServiceClient>();
        var read = await orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId });
        var canceled = await orders.CancelOrderAsync(new CancelOrderRequest { OrderId = orderId, Reason = CancelReason.NoInventory });

        Assert.Equal(orderId, read.Order.OrderId);
        Assert.Equal(OrderStatus.Canceled, canceled.Order.Status); // its request_id was filled in
        Assert.Equal(2, tokensAsked);
    }

    [Fact]
    public async Task The_client_factory_registration_refuses_options_without_a_token()
    {
        var services = new ServiceCollection().AddOrderServiceClients(o => o.Address = server.Address);
        await using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OrderServiceClientOptions>>().Value);
        Assert.Contains("BearerToken or TokenProvider", refused.Message);
    }

    [Fact]
    public async Task A_file_cursor_store_keeps_the_cursor_across_instances_and_leaves_no_temporary_file()
    {
        var folder = Directory.CreateTempSubdirectory("cursor-store.").FullName;
        try
        {
            var path = Path.Combine(folder, "seller.cursor");
            Assert.Null(await new FileCursorStore(path).LoadAsync(default));

            await new FileCursorStore(path).SaveAsync("41", default);
            await new FileCursorStore(path).SaveAsync("42", default);

            Assert.Equal("42", await new FileCursorStore(path).LoadAsync(default));
            Assert.Equal(["seller.cursor"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_cursor_store_refuses_an_empty_file_instead_of_starting_from_now()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cursor-store.").FullName, "seller.cursor");
        await File.WriteAllTextAsync(path, "\n");

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new FileCursorStore(path).LoadAsync(default).AsTask());

        Assert.Contains("is empty", refused.Message);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task The_subscriber_raises_what_a_retry_cannot_fix()
    {
        using var marketplace = server.As("marketplace", "intake");
        using var seller = server.As("seller", _orders.SellerId);
        var reconnects = 0;
        var options = new ResumableSubscriptionOptions { OnReconnect = (_, _) => reconnects++ };

        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in new ResumableSubscription(marketplace.Notifications, new SubscribeRequest(), new MemoryCursorStore(), options))
            {
            }
        });
        var ahead = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in new ResumableSubscription(seller.Notifications, new SubscribeRequest(), new MemoryCursorStore("900000000000"), options))
            {
            }
        });

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.OutOfRange, ahead.StatusCode);
        Assert.Equal("CURSOR_AHEAD_OF_LOG", ahead.Details().Reason);
        Assert.NotNull(ahead.Details().Metadata("newest_cursor"));
        Assert.Equal(0, reconnects);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.OK, "OK")]
    public void Codes_print_by_their_canonical_names(StatusCode code, string name) =>
        Assert.Equal(name, OrderServiceError.ScreamingCode(code));
}
