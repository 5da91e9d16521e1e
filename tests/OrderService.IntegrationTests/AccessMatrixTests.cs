using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Access;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The access matrix (issue 12): every RPC of the contract, read from its
/// descriptors, times every kind of caller, each cell against a victim order of its own
/// that the RPC's request is valid for, so that only the caller varies. Each cell checks
/// the documented answer (README "Access", <see cref="AccessPolicy"/>), and that a caller
/// the order is not visible to gets not a byte of it in the answer, the error message,
/// the ErrorInfo, the BadRequest, the trailers or a notice; that the refused call changed
/// nothing; and that its answer is the one an order that never existed gets, so that
/// nobody learns the order exists.</summary>
[Collection(ServerCollection.Name)]
public sealed class AccessMatrixTests(ServerFixture server)
{
    /// <summary>Who calls. The forged tokens claim the identity that could make the call
    /// (the victim's seller, else its buyer, else the marketplace), so that only their
    /// one defect keeps them out.</summary>
    public enum CallerKind
    {
        NoToken,
        GarbageToken,
        AlgNoneToken,
        WrongKeyToken,
        ExpiredToken,
        NotYetValidToken,
        WrongIssuerToken,
        WrongAudienceToken,
        UnknownRoleToken,
        SellerTokenWithoutSellerId,
        Marketplace,
        SellerOwn,
        SellerOther,
        BuyerOwn,
        BuyerOther,
    }

    public static TheoryData<string, CallerKind> Cells()
    {
        var cells = new TheoryData<string, CallerKind>();
        foreach (var method in AccessMatrix.ContractMethods)
        {
            foreach (var caller in Enum.GetValues<CallerKind>())
            {
                cells.Add(AccessMatrix.Key(method), caller);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Cell(string rpc, CallerKind caller)
    {
        var method = AccessMatrix.Method(rpc);
        var entry = AccessMatrix.Entries.GetValueOrDefault(rpc)
            ?? throw new Xunit.Sdk.XunitException($"{rpc} has no entry in AccessMatrix.Entries: add its roles, victim, request and answers.");
        Assert.Equal(
            entry.Roles.Order(StringComparer.Ordinal),
            AccessPolicy.RolesFor("/" + rpc).Select(role => role.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal));

        var victim = await AccessMatrix.VictimAsync(server, entry.Victim);
        var request = entry.Request(victim);
        var expected = Expected(caller, entry.Roles);
        using var connection = Connect(caller, entry.Roles, victim);
        var touched = entry.AlsoTouches(request).Prepend(victim.OrderId).ToList();
        var before = entry.Watch is null ? await SnapshotAsync(touched) : null;

        var answer = await CallAsync(entry, connection, method, request, victim, expected.Kind == Outcome.Allowed);

        switch (expected.Kind)
        {
            case Outcome.Refused:
                Assert.True(answer.Status.StatusCode == expected.Code, $"expected {expected.Code} {expected.Reason}, got {answer}");
                Assert.Equal(expected.Reason, answer.ErrorInfo?.Reason);
                Assert.Equal("orderservice", answer.ErrorInfo?.Domain);
                Assert.Empty(answer.Messages);
                break;
            case Outcome.Allowed:
                Assert.True(answer.Ok, $"expected success, got {answer}");
                entry.Allowed(victim, request, answer);
                return; // the caller may see this order: its data is theirs to get
            case Outcome.Others:
                entry.Others(victim, answer);
                break;
        }

        // What the caller sent it knows already (the order id it named, say): everything
        // else of the victim's must be absent.
        var sent = Encoding.Latin1.GetString(request.ToByteArray());
        var leaks = answer.Leaks(victim.Secrets().Where(secret => !sent.Contains(secret.Value, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"{caller} got the victim's data from {rpc}:\n{string.Join("\n", leaks)}");

        if (before is not null)
        {
            Assert.Equal(before, await SnapshotAsync(touched));
        }

        // Naming an order that exists must answer exactly what naming one that never existed
        // answers.
        if (entry.Watch is null && sent.Contains(victim.OrderId, StringComparison.Ordinal))
        {
            var ghost = victim with { OrderId = NewId("250") };
            var ghostAnswer = await CallAsync(entry, connection, method, entry.Request(ghost), ghost, owner: false);
            var existing = answer.Comparable((victim.OrderId, "{order}"));
            var neverExisted = ghostAnswer.Comparable((ghost.OrderId, "{order}"));
            Assert.True(existing == neverExisted,
                $"{caller} can tell that the order exists: {rpc} answers\n{existing}\nfor it, but\n{neverExisted}\nfor an order that never existed");
        }
    }

    /// <summary>Served without a token by design (see PlatformTests), outside the policy.</summary>
    private static readonly string[] TokenFreeServices =
        ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    [Fact]
    public void The_matrix_has_an_entry_for_every_method_the_contract_declares_and_the_server_serves()
    {
        var served = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method)
            .OfType<IMethod>()
            .Where(method => !TokenFreeServices.Contains(method.ServiceName))
            .Select(method => method.FullName.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal);
        var declared = AccessMatrix.ContractMethods.Select(AccessMatrix.Key).ToList();

        Assert.Equal(declared, served);
        Assert.Equal(declared, AccessMatrix.Entries.Keys.Order(StringComparer.Ordinal));
    }

    private enum Outcome
    {
        /// <summary>UNAUTHENTICATED or PERMISSION_DENIED, before the method runs.</summary>
        Refused,
        /// <summary>The marketplace, or the order's own seller or buyer, with a role that may call.</summary>
        Allowed,
        /// <summary>Another seller or buyer with a role that may call.</summary>
        Others,
    }

    private sealed record Expectation(Outcome Kind, StatusCode Code = StatusCode.OK, string? Reason = null);

    private static Expectation Expected(CallerKind caller, string[] roles)
    {
        var denied = new Expectation(Outcome.Refused, StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED");
        return caller switch
        {
            CallerKind.NoToken => new(Outcome.Refused, StatusCode.Unauthenticated, "TOKEN_MISSING"),
            CallerKind.GarbageToken or CallerKind.AlgNoneToken or CallerKind.WrongKeyToken or CallerKind.ExpiredToken
                or CallerKind.NotYetValidToken or CallerKind.WrongIssuerToken or CallerKind.WrongAudienceToken
                => new(Outcome.Refused, StatusCode.Unauthenticated, "TOKEN_INVALID"),
            // A verified token whose claims name no caller (the contract's third UNAUTHENTICATED reason).
            CallerKind.UnknownRoleToken or CallerKind.SellerTokenWithoutSellerId
                => new(Outcome.Refused, StatusCode.Unauthenticated, "TOKEN_CLAIMS_INVALID"),
            CallerKind.Marketplace => roles.Contains("marketplace") ? new(Outcome.Allowed) : denied,
            CallerKind.SellerOwn => roles.Contains("seller") ? new(Outcome.Allowed) : denied,
            CallerKind.SellerOther => roles.Contains("seller") ? new(Outcome.Others) : denied,
            CallerKind.BuyerOwn => roles.Contains("buyer") ? new(Outcome.Allowed) : denied,
            CallerKind.BuyerOther => roles.Contains("buyer") ? new(Outcome.Others) : denied,
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, null),
        };
    }

    private OrderServiceConnection Connect(CallerKind caller, string[] roles, Victim victim)
    {
        var claimed = roles.Contains("seller") ? ForgedTokens.Identity.Seller(victim.SellerId)
            : roles.Contains("buyer") ? ForgedTokens.Identity.Buyer(victim.BuyerId)
            : ForgedTokens.Identity.Marketplace("intake-service");
        return caller switch
        {
            CallerKind.NoToken => server.WithToken(null),
            CallerKind.GarbageToken => server.WithToken("garbage.not-a.jwt"),
            CallerKind.AlgNoneToken => server.WithToken(ForgedTokens.AlgNone(claimed)),
            CallerKind.WrongKeyToken => server.WithToken(ForgedTokens.WrongKey(claimed)),
            CallerKind.ExpiredToken => server.WithToken(ForgedTokens.Expired(claimed)),
            CallerKind.NotYetValidToken => server.WithToken(ForgedTokens.NotYetValid(claimed)),
            CallerKind.WrongIssuerToken => server.WithToken(ForgedTokens.WrongIssuer(claimed)),
            CallerKind.WrongAudienceToken => server.WithToken(ForgedTokens.WrongAudience(claimed)),
            CallerKind.UnknownRoleToken => server.WithToken(ForgedTokens.UnknownRole(claimed)),
            CallerKind.SellerTokenWithoutSellerId => server.WithToken(ForgedTokens.SellerWithoutSellerId(victim.SellerId)),
            CallerKind.Marketplace => server.Marketplace(),
            CallerKind.SellerOwn => server.Seller(victim.SellerId),
            CallerKind.SellerOther => server.Seller(NewId("S")),
            CallerKind.BuyerOwn => server.Buyer(victim.BuyerId),
            CallerKind.BuyerOther => server.Buyer(NewId("B")),
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, null),
        };
    }

    private Task<CallTranscript> CallAsync(
        MatrixEntry entry, OrderServiceConnection connection, Google.Protobuf.Reflection.MethodDescriptor method,
        Google.Protobuf.IMessage request, Victim victim, bool owner) =>
        entry.Watch is { } watch
            ? watch(server, connection.CallInvoker, method, request, victim, owner)
            : RawCalls.CallAsync(connection.CallInvoker, method, request);

    /// <summary>The orders as the marketplace sees them, with their refunds and the number of
    /// events in their log: any change a call made shows in it.</summary>
    private async Task<string> SnapshotAsync(IEnumerable<string> orderIds)
    {
        using var marketplace = server.Marketplace();
        var snapshot = new StringBuilder();
        foreach (var orderId in orderIds)
        {
            snapshot.AppendLine($"{orderId}: {await EventCount(server, orderId)} events");
            snapshot.AppendLine((await RawCalls.CallAsync(marketplace.CallInvoker, GetOrderMethod,
                new GetOrderRequest { OrderId = orderId })).Comparable());
            snapshot.AppendLine((await RawCalls.CallAsync(marketplace.CallInvoker, ListRefundsMethod,
                new ListRefundsRequest { OrderId = orderId })).Comparable());
        }

        return snapshot.ToString();
    }

    private static readonly Google.Protobuf.Reflection.MethodDescriptor GetOrderMethod =
        AccessMatrix.Method("orderservice.v1.OrderService/GetOrder");

    private static readonly Google.Protobuf.Reflection.MethodDescriptor ListRefundsMethod =
        AccessMatrix.Method("orderservice.v1.RefundService/ListRefunds");
}
