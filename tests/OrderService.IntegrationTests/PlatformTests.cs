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
