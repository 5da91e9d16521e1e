using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;

namespace OrderService.IntegrationTests;

/// <summary>Health, reflection, the contract's shape, and the methods later issues implement.</summary>
[Collection(ServerCollection.Name)]
public sealed class PlatformTests(ServerFixture server)
{
    [Fact]
    public async Task Health_reports_serving_without_a_token()
    {
        using var channel = Channel();
        var health = new Health.HealthClient(channel);

        var answer = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    [Fact]
    public async Task The_suite_runs_on_the_database_it_was_asked_for()
    {
        // Guards the PostgreSQL pass against silently running on SQLite. Asked: by the
        // build for the Postgres suite, else by ORDERSERVICE_TEST_DATABASE (SQLite if unset).
        var asked = TestDatabase.Provider;
        var providerName = await server.QueryDatabaseAsync(db => Task.FromResult(db.Database.ProviderName ?? ""));

        Assert.Contains(asked == Persistence.DatabaseProvider.Postgres ? "Npgsql" : "Sqlite", providerName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_is_flushed_to_disk_before_it_is_answered()
    {
        // SQLite: WAL with synchronous FULL (2) syncs the log on every commit. PostgreSQL:
        // synchronous_commit on waits for the WAL flush. Either way a change that answered OK
        // survives a crash of the machine, not only of the process.
        var setting = await server.QueryDatabaseAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = server.Provider == Persistence.DatabaseProvider.Postgres
                ? "SELECT current_setting('synchronous_commit') || ',' || current_setting('fsync')"
                : "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',' || (SELECT synchronous FROM pragma_synchronous)";
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Equal(server.Provider == Persistence.DatabaseProvider.Postgres ? "on,on" : "wal,2", setting);
    }

    [Fact]
    public async Task Reflection_lists_the_three_services()
    {
        using var channel = Channel();
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("orderservice.v1.OrderService", services);
        Assert.Contains("orderservice.v1.RefundService", services);
        Assert.Contains("orderservice.v1.NotificationService", services);
    }

    public static TheoryData<string, byte[], byte[]> UnreadableMessages => new()
    {
        { "garbage", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02] },
        // A string field (GetOrder's order_id, field 1; the report's resume_after, field 5)
        // holding a lone surrogate as a JavaScript client encodes it: not UTF-8.
        { "invalid UTF-8", [0x0A, 0x03, 0xED, 0xA0, 0x80], [0x2A, 0x03, 0xED, 0xA0, 0x80] },
    };

    /// <summary>Bytes that are not the method's message answered UNKNOWN before any
    /// interceptor ran (issue 12): now INVALID_ARGUMENT with an ErrorInfo, for a unary and a
    /// server-streaming method, with or without a token.</summary>
    [Theory]
    [MemberData(nameof(UnreadableMessages))]
    public async Task An_unreadable_request_message_is_invalid_argument_with_an_error_info(string what, byte[] message, byte[] reportMessage)
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Server.BaseAddress,
            new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = server.Server.CreateHandler() });
        var invoker = channel.CreateCallInvoker();
        var bytes = Grpc.Core.Marshallers.Create<byte[]>(b => b, b => b);
        var getOrder = new Grpc.Core.Method<byte[], byte[]>(Grpc.Core.MethodType.Unary, "orderservice.v1.OrderService", "GetOrder", bytes, bytes);
        var report = new Grpc.Core.Method<byte[], byte[]>(Grpc.Core.MethodType.ServerStreaming, "orderservice.v1.OrderService", "StreamOrderReport", bytes, bytes);

        var unary = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(getOrder, null, new CallOptions(), message).ResponseAsync);
        var streaming = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = invoker.AsyncServerStreamingCall(report, null, new CallOptions(), reportMessage);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.All([unary, streaming], refused =>
        {
            Assert.True(refused.StatusCode == StatusCode.InvalidArgument, $"{what}: {refused.StatusCode} {refused.Status.Detail}");
            var info = refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!;
            Assert.Equal(("MALFORMED_REQUEST", "orderservice"), (info.Reason, info.Domain));
        });
    }

    public static TheoryData<System.Type, System.Type> SharedEnums => new()
    {
        { typeof(Domain.OrderStatus), typeof(OrderStatus) },
        { typeof(Domain.ChargeComponent), typeof(ChargeComponent) },
        { typeof(Domain.CancelReason), typeof(CancelReason) },
        { typeof(Domain.AdjustmentReason), typeof(AdjustmentReason) },
        { typeof(Domain.CancellationRequester), typeof(CancellationRequester) },
        { typeof(Domain.CancellationExecutor), typeof(CancellationExecutor) },
        { typeof(Domain.OrderEventType), typeof(NotificationType) },
        { typeof(Domain.CarrierReturnCause), typeof(CarrierReturnCause) },
        { typeof(Domain.AddressChangeOutcome), typeof(AddressChangeOutcome) },
    };

    /// <summary>The server converts these enums by number: both sides must list the same
    /// values under the same names (the contract adds only UNSPECIFIED).</summary>
    [Theory]
    [MemberData(nameof(SharedEnums))]
    public void Domain_and_contract_enums_match_by_number_and_name(System.Type domain, System.Type contract)
    {
        var domainValues = Enum.GetValues(domain).Cast<object>().ToDictionary(Convert.ToInt32, v => v.ToString()!.ToUpperInvariant());
        var contractValues = Enum.GetValues(contract).Cast<object>().Where(v => Convert.ToInt32(v) != 0)
            .ToDictionary(Convert.ToInt32, v => v.ToString()!.ToUpperInvariant());

        Assert.Equal(domainValues, contractValues);
    }

    [Fact]
    public void The_contract_carries_every_reason_code_of_the_domain_rules()
    {
        // docs/domain-rules.md, "Cancel reason codes" and "Adjustment reason codes".
        string[] cancelCodes = ["NoInventory", "ShippingAddressUndeliverable", "CustomerExchange", "BuyerCanceled", "GeneralAdjustment", "CarrierCreditDecision", "RiskAssessmentInformationNotValid", "CarrierCoverageFailure", "CustomerReturn", "MerchandiseNotReceived", "PricingError"];
        string[] adjustmentCodes = ["NoInventory", "CustomerReturn", "GeneralAdjustment", "CouldNotShip", "DifferentItem", "Abandoned", "CustomerCancel", "PriceError", "ProductOutofStock", "CustomerAddressIncorrect", "Exchange", "Other", "CarrierCreditDecision", "RiskAssessmentInformationNotValid", "CarrierCoverageFailure", "TransactionRecord", "Undeliverable", "RefusedDelivery"];

        var cancelNames = Enum.GetNames<CancelReason>().Select(n => n.ToUpperInvariant()).ToHashSet();
        var adjustmentNames = Enum.GetNames<AdjustmentReason>().Select(n => n.ToUpperInvariant()).ToHashSet();

        Assert.All(cancelCodes, code => Assert.Contains(code.ToUpperInvariant(), cancelNames));
        Assert.All(adjustmentCodes, code => Assert.Contains(code.ToUpperInvariant(), adjustmentNames));
    }

    private GrpcChannel Channel() =>
        GrpcChannel.ForAddress(server.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.Server.CreateHandler() });
}
