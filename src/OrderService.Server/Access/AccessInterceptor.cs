using System.Security.Claims;
using Grpc.Core;
using Grpc.Core.Interceptors;
using OrderService.Server.Errors;

namespace OrderService.Server.Access;

/// <summary>Resolves the caller from the verified bearer token and enforces
/// <see cref="AccessPolicy"/> before any service method runs. Missing or bad tokens are
/// UNAUTHENTICATED, a role that may not call the method PERMISSION_DENIED.</summary>
public sealed class AccessInterceptor : Interceptor
{
    private const string CallerItemKey = "orderservice.caller";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>The caller the interceptor resolved for this call.</summary>
    public static Caller CallerOf(ServerCallContext context) =>
        context.GetHttpContext().Items[CallerItemKey] as Caller
        ?? throw new InvalidOperationException($"{context.Method} ran without {nameof(AccessInterceptor)}.");

    private static void Authorize(ServerCallContext context)
    {
        if (!AccessPolicy.Covers(context.Method))
        {
            return; // health and reflection need no token
        }

        var httpContext = context.GetHttpContext();
        var caller = Resolve(httpContext.User, httpContext.Request.Headers.Authorization.Count > 0);
        var allowed = AccessPolicy.RolesFor(context.Method);
        if (!allowed.Contains(caller.Role))
        {
            throw RpcErrors.PermissionDenied("ROLE_NOT_ALLOWED",
                $"The {caller.Role.ToString().ToLowerInvariant()} role may not call {context.Method}.",
                new Dictionary<string, string>
                {
                    ["caller_role"] = caller.Role.ToString().ToLowerInvariant(),
                    ["allowed_roles"] = string.Join(",", allowed.Select(r => r.ToString().ToLowerInvariant())),
                });
        }

        httpContext.Items[CallerItemKey] = caller;
    }

    private static Caller Resolve(ClaimsPrincipal user, bool tokenSent)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            throw tokenSent
                ? RpcErrors.Unauthenticated("TOKEN_INVALID", "The bearer token is invalid or expired.")
                : RpcErrors.Unauthenticated("TOKEN_MISSING", "Send a bearer token in the authorization metadata.");
        }

        var role = user.FindFirst(TokenClaims.Role)?.Value;
        return role switch
        {
            "marketplace" => new Caller(CallerRole.Marketplace, Require(user, "sub")),
            "seller" => new Caller(CallerRole.Seller, Require(user, TokenClaims.SellerId)),
            "buyer" => new Caller(CallerRole.Buyer, Require(user, TokenClaims.BuyerId)),
            _ => throw RpcErrors.Unauthenticated("TOKEN_CLAIMS_INVALID",
                $"The token's '{TokenClaims.Role}' claim must be marketplace, seller or buyer."),
        };
    }

    /// <summary>The caller's id from the token: an identifier like every other id of the
    /// service (it keys the caller's orders and stored answers).</summary>
    private static string Require(ClaimsPrincipal user, string claim)
    {
        var value = user.FindFirst(claim)?.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw RpcErrors.Unauthenticated("TOKEN_CLAIMS_INVALID", $"The token has no '{claim}' claim.");
        }

        var check = new RequestValidator();
        check.Identifier(value, claim);
        return check.IsValid
            ? value
            : throw RpcErrors.Unauthenticated("TOKEN_CLAIMS_INVALID",
                $"The token's '{claim}' claim must be 1-{RequestValidator.MaxIdLength} letters, digits, '-', '_' or '.'.");
    }
}
