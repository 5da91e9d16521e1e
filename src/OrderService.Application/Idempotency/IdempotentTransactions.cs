using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderService.Application.Access;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Application.Idempotency;

/// <summary>Runs a mutating request as one idempotent, optimistic-concurrency transaction:
/// the use case's changes, their events and the answer stored under (caller, request_id)
/// commit together, or nothing does.</summary>
public sealed class IdempotentTransactions(OrderDbContext db, TimeProvider clock, ILogger<IdempotentTransactions> logger)
{
    /// <summary>How often a request that lost an optimistic-concurrency race is re-run
    /// against the fresh state before the caller gets ABORTED. 22 concurrent shipments of one
    /// order on PostgreSQL drew 25 ABORTED with 4 immediate re-runs, and 2 to 7 with 8 re-runs
    /// after the random waits of <see cref="PauseBeforeRerun"/> (docs/reliability.md).</summary>
    public const int MaxAttempts = 8;

    /// <summary>Runs <paramref name="work"/> and saves what it changed, its events and the
    /// answer in one transaction (AIP-155). A retry with the same request_id gets the stored
    /// answer; the same request_id with another request is ALREADY_EXISTS. A lost
    /// optimistic-concurrency race re-runs the work against the fresh state; after
    /// <see cref="MaxAttempts"/> the caller gets ABORTED, and nothing was written.</summary>
    public async Task<TResponse> RunAsync<TResponse>(
        Caller caller, RequestKey key, Func<CancellationToken, Task<TResponse>> work, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestHash = Hash(key.Method, key.Request);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var stored = await FindStoredAsync(caller, key.RequestId, cancellationToken);
            if (stored is not null)
            {
                return Replay<TResponse>(stored, key.Method, requestHash);
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
                stored = await FindStoredAsync(caller, key.RequestId, cancellationToken);
                if (stored is not null)
                {
                    return Replay<TResponse>(stored, key.Method, requestHash);
                }

                throw;
            }

            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                CallerKey = caller.Key,
                RequestId = key.RequestId,
                Method = key.Method,
                RequestHash = requestHash,
                Response = response.ToByteArray(),
                CreatedAt = clock.GetUtcNow(),
            });

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return response;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.ConcurrentChange(key.Method, attempt);
                await PauseBeforeRerun(attempt, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw new DomainException(ErrorKind.Aborted, "CONCURRENT_MODIFICATION",
                    "The order was changed by concurrent requests; retry with the same request_id (what already committed is kept and replayed).");
            }
            catch (DbUpdateException exception) when (attempt < MaxAttempts)
            {
                // Most often a unique key: the same request_id or the same new order id
                // committed by a concurrent request. The next attempt sees it and answers
                // as a replay or ALREADY_EXISTS.
                logger.WriteConflict(exception, key.Method, attempt);
                await PauseBeforeRerun(attempt, cancellationToken);
            }
            catch (DbUpdateException exception)
            {
                db.ChangeTracker.Clear();
                logger.WriteConflictsPersisted(exception, MaxAttempts, key.Method);
                throw new DomainException(ErrorKind.Aborted, "WRITE_CONFLICT",
                    "The change kept conflicting with concurrent writes; retry with the same request_id.");
            }
        }
    }

    /// <summary>A random wait before a re-run, up to 4 ms doubling per attempt (at most
    /// about half a second in all): the requests that lost one race do not all meet again in
    /// the next instant. Real time, not the injected clock: a test's frozen clock must not
    /// stop a re-run.</summary>
    private static Task PauseBeforeRerun(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 << Math.Min(attempt + 2, 10))), cancellationToken);

    /// <summary>The stored answer to this request, or null when there is none yet;
    /// ALREADY_EXISTS when its request_id was used for another request.</summary>
    public async Task<TResponse?> FindAnswerAsync<TResponse>(Caller caller, RequestKey key, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var stored = await FindStoredAsync(caller, key.RequestId, cancellationToken);
        return stored is null ? null : Replay<TResponse>(stored, key.Method, Hash(key.Method, key.Request));
    }

    /// <summary>Forgets every change made since the last save (validate_only: the domain
    /// ran for real on loaded orders, and none of it may be saved).</summary>
    public void DiscardChanges() => db.ChangeTracker.Clear();

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
        var requestBytes = CanonicalRequestId(request).ToByteArray();
        return Convert.ToHexStringLower(SHA256.HashData([.. methodBytes, .. requestBytes]));
    }

    /// <summary>The request with its request_id spelled canonically, when it has one that
    /// is a UUID; otherwise the request itself.</summary>
    internal static IMessage CanonicalRequestId(IMessage request, string? replacement = null)
    {
        var requestIdField = request.Descriptor.FindFieldByName("request_id");
        if (requestIdField?.Accessor.GetValue(request) is not string raw)
        {
            return request;
        }

        var canonicalId = replacement ?? (Guid.TryParse(raw, out var id) ? id.ToString("D") : null);
        if (canonicalId is null)
        {
            return request;
        }

        var copy = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        requestIdField.Accessor.SetValue(copy, canonicalId);
        return copy;
    }
}
