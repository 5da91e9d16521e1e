using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using OrderService.Domain;
using OrderService.Persistence;
using OrderService.Server.Access;
using OrderService.Server.Errors;

namespace OrderService.Server.Infrastructure;

/// <summary>The services' one collaborator: reads orders as a caller may see them, and
/// runs a mutating request as one idempotent, optimistic-concurrency transaction.</summary>
public sealed class OrderStore(OrderDbContext db, TimeProvider clock, ILogger<OrderStore> logger)
{
    /// <summary>How often a request that lost an optimistic-concurrency race is re-run
    /// against the fresh state before the caller gets ABORTED.</summary>
    public const int MaxAttempts = 4;

    public OrderDbContext Db => db;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Orders the caller may see: all for the marketplace, its own for a seller
    /// or a buyer.</summary>
    public IQueryable<Order> VisibleOrders(Caller caller) => caller.Role switch
    {
        CallerRole.Marketplace => db.Orders,
        CallerRole.Seller => db.Orders.Where(o => o.SellerId == caller.Id),
        CallerRole.Buyer => db.Orders.Where(o => o.BuyerId == caller.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    /// <summary>The order, or NOT_FOUND, also when it exists but belongs to someone else:
    /// a seller cannot even learn that another seller's order id exists.</summary>
    public async Task<Order> FindVisibleAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        // One statement, so the order and its collections come from one snapshot.
        await VisibleOrders(caller).AsSingleQuery().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
        ?? throw OrderNotFound(orderId);

    /// <summary>NOT_FOUND for an order that does not exist or is not the caller's.</summary>
    public static DomainException OrderNotFound(string orderId) =>
        new(ErrorKind.NotFound, "ORDER_NOT_FOUND", $"Order '{orderId}' was not found.",
            metadata: new Dictionary<string, string> { ["resource"] = $"orders/{orderId}" });

    /// <summary>Runs <paramref name="work"/> and saves what it changed, its events and the
    /// response under (caller, request_id) in one transaction (AIP-155). A retry with the
    /// same request_id gets the stored response; the same request_id with another request
    /// is ALREADY_EXISTS. A lost optimistic-concurrency race re-runs the work against the
    /// fresh state; after <see cref="MaxAttempts"/> the caller gets ABORTED.</summary>
    public async Task<TResponse> MutateAsync<TResponse>(
        Caller caller,
        string method,
        string requestId,
        IMessage request,
        Func<CancellationToken, Task<TResponse>> work,
        CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestHash = Hash(method, request);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var stored = await FindStoredAsync(caller, requestId, cancellationToken);
            if (stored is not null)
            {
                return Replay<TResponse>(stored, method, requestHash);
            }

            TResponse response;
            try
            {
                response = await work(cancellationToken);
            }
            catch (DomainException)
            {
                // A retry of this very request may have committed between our look-up and
                // the work, and the refusal may be its effect ("order already exists",
                // "nothing left to ship"): then the answer is the stored one.
                db.ChangeTracker.Clear();
                stored = await FindStoredAsync(caller, requestId, cancellationToken);
                if (stored is not null)
                {
                    return Replay<TResponse>(stored, method, requestHash);
                }

                throw;
            }

            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                CallerKey = caller.Key,
                RequestId = requestId,
                Method = method,
                RequestHash = requestHash,
                Response = response.ToByteArray(),
                CreatedAt = Now,
            });

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return response;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogInformation("Concurrent change to the same order; re-running {Method} (attempt {Attempt}).", method, attempt);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw RpcErrors.Aborted("CONCURRENT_MODIFICATION",
                    "The order was changed by concurrent requests; retry with the same request_id (what already committed is kept and replayed).");
            }
            catch (DbUpdateException exception) when (attempt < MaxAttempts)
            {
                // Most often a unique key: the same request_id or the same new order id
                // committed by a concurrent request. The next attempt sees it and answers
                // as a replay or ALREADY_EXISTS.
                logger.LogInformation(exception, "Write conflict; re-running {Method} (attempt {Attempt}).", method, attempt);
            }
            catch (DbUpdateException exception)
            {
                logger.LogWarning(exception, "Write conflicts persisted over {Attempts} attempts of {Method}.", MaxAttempts, method);
                throw RpcErrors.Aborted("WRITE_CONFLICT",
                    "The change kept conflicting with concurrent writes; retry with the same request_id.");
            }
        }
    }

    /// <summary>The stored answer to this request_id, or null when there is none yet;
    /// ALREADY_EXISTS when the request_id was used for another request.</summary>
    public async Task<TResponse?> FindAnswerAsync<TResponse>(
        Caller caller, string method, string requestId, IMessage request, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var stored = await FindStoredAsync(caller, requestId, cancellationToken);
        return stored is null ? null : Replay<TResponse>(stored, method, Hash(method, request));
    }

    private Task<IdempotencyRecord?> FindStoredAsync(Caller caller, string requestId, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.CallerKey == caller.Key && r.RequestId == requestId, cancellationToken);

    private static TResponse Replay<TResponse>(IdempotencyRecord stored, string method, string requestHash)
        where TResponse : class, IMessage<TResponse>, new()
    {
        if (stored.RequestHash != requestHash)
        {
            throw new DomainException(ErrorKind.AlreadyExists, "REQUEST_ID_REUSED",
                stored.Method == method
                    ? "This request_id was already used for a different request; use a new request_id for a new request."
                    : $"This request_id was already used for {stored.Method}; use a new request_id for a new request.",
                "request_id");
        }

        var response = new TResponse();
        response.MergeFrom(stored.Response);
        return response;
    }

    /// <summary>SHA-256 of the method and the request, with its request_id in canonical
    /// form: a retry that spells the same UUID in capitals is the same request.</summary>
    private static string Hash(string method, IMessage request)
    {
        var methodBytes = Encoding.UTF8.GetBytes(method + "\n");
        var canonical = request;
        var requestIdField = request.Descriptor.FindFieldByName("request_id");
        if (requestIdField?.Accessor.GetValue(request) is string raw && Guid.TryParse(raw, out var id))
        {
            canonical = request.Descriptor.Parser.ParseFrom(request.ToByteString());
            requestIdField.Accessor.SetValue(canonical, id.ToString("D"));
        }

        var requestBytes = canonical.ToByteArray();
        return Convert.ToHexStringLower(SHA256.HashData([.. methodBytes, .. requestBytes]));
    }
}
