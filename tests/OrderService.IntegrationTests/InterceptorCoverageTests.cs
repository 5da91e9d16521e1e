using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using OrderService.Contracts.V1;
using OrderService.Domain;
using OrderService.Application.Access;
using OrderService.Server.Access;
using OrderService.Server.Errors;

namespace OrderService.IntegrationTests;

/// <summary>The access and error interceptors cover every kind of handler, not only the
/// unary and server-streaming ones the v1 contract has today: a client-streaming or bidi
/// RPC added later is authorized before it runs, and its domain refusals are mapped. The
/// handlers are called directly, without a server, as gRPC would call them.</summary>
public sealed class InterceptorCoverageTests
{
    // Covered by AccessPolicy (its service is), so a token is required.
    private const string CoveredMethod = "/orderservice.v1.OrderService/SubmitCancellationFeed";
    // Covered too, but with no entry in the policy: what a method added without one gets.
    private const string MethodWithoutPolicyEntry = "/orderservice.v1.OrderService/StreamCancellationFeed";

    public enum HandlerKind
    {
        ClientStreaming,
        DuplexStreaming,
    }

    [Theory]
    [InlineData(HandlerKind.ClientStreaming)]
    [InlineData(HandlerKind.DuplexStreaming)]
    public async Task A_streaming_request_call_without_a_token_is_unauthenticated_before_the_method_runs(HandlerKind kind)
    {
        var context = new TestCallContext(CoveredMethod, new DefaultHttpContext());
        var called = false;

        var exception = await Assert.ThrowsAsync<RpcException>(() => Invoke(new AccessInterceptor(), kind, context, () =>
        {
            called = true;
            return Task.CompletedTask;
        }));

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
        Assert.Equal("TOKEN_MISSING", ReasonOf(exception));
        Assert.False(called, "the service method ran without a caller");
    }

    [Theory]
    [InlineData(HandlerKind.ClientStreaming)]
    [InlineData(HandlerKind.DuplexStreaming)]
    public async Task A_streaming_request_method_without_a_policy_entry_is_permission_denied(HandlerKind kind)
    {
        var context = new TestCallContext(MethodWithoutPolicyEntry, Authenticated("seller", TokenClaims.SellerId, "S-1"));
        var called = false;

        var exception = await Assert.ThrowsAsync<RpcException>(() => Invoke(new AccessInterceptor(), kind, context, () =>
        {
            called = true;
            return Task.CompletedTask;
        }));

        Assert.Equal(StatusCode.PermissionDenied, exception.StatusCode);
        Assert.Equal("ROLE_NOT_ALLOWED", ReasonOf(exception));
        Assert.False(called);
    }

    [Theory]
    [InlineData(HandlerKind.ClientStreaming)]
    [InlineData(HandlerKind.DuplexStreaming)]
    public async Task An_allowed_caller_reaches_a_streaming_request_method_with_its_caller_resolved(HandlerKind kind)
    {
        var context = new TestCallContext(CoveredMethod, Authenticated("seller", TokenClaims.SellerId, "S-1"));
        Caller? seen = null;

        await Invoke(new AccessInterceptor(), kind, context, () =>
        {
            seen = AccessInterceptor.CallerOf(context);
            return Task.CompletedTask;
        });

        Assert.Equal(new Caller(CallerRole.Seller, "S-1"), seen);
    }

    [Theory]
    [InlineData(HandlerKind.ClientStreaming)]
    [InlineData(HandlerKind.DuplexStreaming)]
    public async Task A_domain_refusal_from_a_streaming_request_method_becomes_its_status(HandlerKind kind)
    {
        var context = new TestCallContext(CoveredMethod, new DefaultHttpContext());
        var interceptor = new ErrorInterceptor(NullLogger<ErrorInterceptor>.Instance);

        var exception = await Assert.ThrowsAsync<RpcException>(() => Invoke(interceptor, kind, context, async () =>
        {
            await Task.Yield(); // refused after the method started reading, as a real one would
            throw new DomainException(ErrorKind.FailedPrecondition, "ORDER_NOT_UNSHIPPED", "The order has shipped.");
        }));

        Assert.Equal(StatusCode.FailedPrecondition, exception.StatusCode);
        Assert.Equal("ORDER_NOT_UNSHIPPED", ReasonOf(exception));
    }

    [Theory]
    [InlineData(HandlerKind.ClientStreaming)]
    [InlineData(HandlerKind.DuplexStreaming)]
    public async Task A_fault_in_a_streaming_request_method_is_internal_not_unknown(HandlerKind kind)
    {
        var context = new TestCallContext(CoveredMethod, new DefaultHttpContext());
        var interceptor = new ErrorInterceptor(NullLogger<ErrorInterceptor>.Instance);

        var exception = await Assert.ThrowsAsync<RpcException>(() => Invoke(interceptor, kind, context,
            () => throw new InvalidOperationException("secret detail")));

        Assert.Equal(StatusCode.Internal, exception.StatusCode);
        Assert.Equal("INTERNAL_ERROR", ReasonOf(exception));
        Assert.DoesNotContain("secret detail", exception.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>Calls the interceptor's handler of <paramref name="kind"/> with a
    /// continuation that runs <paramref name="method"/> (the service method).</summary>
    private static Task Invoke(Grpc.Core.Interceptors.Interceptor interceptor, HandlerKind kind, ServerCallContext context, Func<Task> method) =>
        kind switch
        {
            HandlerKind.ClientStreaming => interceptor.ClientStreamingServerHandler<CancellationFeedLine, SubmitCancellationFeedResponse>(
                new EmptyReader<CancellationFeedLine>(), context,
                async (_, _) =>
                {
                    await method();
                    return new SubmitCancellationFeedResponse();
                }),
            HandlerKind.DuplexStreaming => interceptor.DuplexStreamingServerHandler<CancellationFeedLine, FeedLineResult>(
                new EmptyReader<CancellationFeedLine>(), new DiscardingWriter<FeedLineResult>(), context,
                (_, _, _) => method()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    private static DefaultHttpContext Authenticated(string role, string idClaim, string id)
    {
        var http = new DefaultHttpContext();
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(TokenClaims.Role, role), new Claim("sub", id), new Claim(idClaim, id)], authenticationType: "Test"));
        return http;
    }

    private static string? ReasonOf(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    /// <summary>A call context as grpc-dotnet hands one to interceptors. GetHttpContext()
    /// falls back to UserState["__HttpContext"] when the context is not its own type.</summary>
    private sealed class TestCallContext : ServerCallContext
    {
        private readonly string _method;

        public TestCallContext(string method, HttpContext httpContext)
        {
            _method = method;
            UserState["__HttpContext"] = httpContext;
        }

        protected override string MethodCore => _method;
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
            throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }

    private sealed class EmptyReader<T> : IAsyncStreamReader<T>
    {
        public T Current => throw new InvalidOperationException("The stream is empty.");

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(false);
    }

    private sealed class DiscardingWriter<T> : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => Task.CompletedTask;
    }
}
