using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using Status = Google.Rpc.Status;

namespace OrderService.IntegrationTests.BadInput;

/// <summary>What a case of the corpus must get.</summary>
public abstract record Expectation;

/// <summary>INVALID_ARGUMENT with an ErrorInfo and a google.rpc.BadRequest that names
/// <paramref name="Field"/> or a field inside it (a Money's currency_code, a line's
/// order_item_id), optionally with one ErrorInfo reason. With <paramref name="InLine"/>: the
/// feed call succeeds and its first line's status is that refusal (a line is answered as
/// the single-order RPC would be, R10, R20), the field named as in that RPC.</summary>
public sealed record Invalid(string Field, string? Reason = null, bool InLine = false) : Expectation;

/// <summary>INVALID_ARGUMENT MALFORMED_REQUEST naming the method: bytes that are not the
/// method's message. No BadRequest: no field could be read (order_service.proto).</summary>
public sealed record Malformed : Expectation;

/// <summary>A documented refusal other than a bad field: FAILED_PRECONDITION (with a
/// PreconditionFailure whose type is the reason), OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS.</summary>
public sealed record Refused(StatusCode Code, string Reason, bool InLine = false) : Expectation;

/// <summary>Valid per the protos: the call succeeds (a feed's first line too). Only the
/// allow-list and the baseline give this.</summary>
public sealed record Accepted(string Why) : Expectation;

/// <summary>One call of the corpus: a valid request of <paramref name="Rpc"/> changed in one
/// field (<paramref name="Path"/>, <paramref name="What"/>), built against a context's orders.</summary>
public sealed record CorpusCase(string Rpc, string Path, string What, Expectation Expect, bool Generated, Func<CorpusContext, Task<byte[]>> Build)
{
    public string Name => $"{Rpc} {(Path.Length == 0 ? "(message)" : Path)}: {What}";
}

/// <summary>Checks an outcome against its case's expectation; null when it matches.</summary>
public static class CorpusChecks
{
    /// <summary>An error's message (grpc-message) may not grow with the input: one that
    /// quoted a client's megabytes broke the HTTP/2 connection (decisions.md, "Hostile input").</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>Nor may its details (grpc-status-details-bin).</summary>
    public const int MaxDetailsBytes = 16 * 1024;

    public static string? Check(CorpusCase corpusCase, MethodDescriptor method, CallOutcome outcome)
    {
        if (outcome.Elapsed > RawCalls.Deadline)
        {
            return $"took {outcome.Elapsed.TotalSeconds:0.0} s";
        }

        return corpusCase.Expect switch
        {
            Accepted accepted => outcome.Code != StatusCode.OK
                ? $"valid per the protos ({accepted.Why}) but refused: {Describe(outcome)}"
                : FirstLine(outcome) is { } line && line.Status.Code != 0
                    ? $"valid per the protos ({accepted.Why}) but its line was refused: {(StatusCode)line.Status.Code} {line.Status.Message}"
                    : null,
            Malformed => CheckMalformed(method, outcome),
            Invalid { InLine: false } invalid => outcome.Code == StatusCode.InvalidArgument
                ? CheckInvalid(outcome.Error!.GetRpcStatus(), invalid)
                : $"expected INVALID_ARGUMENT naming {invalid.Field}, got {Describe(outcome)}",
            Invalid invalid => outcome.Code == StatusCode.OK && FirstLine(outcome) is { } line
                ? CheckInvalid(line.Status, invalid)
                : $"expected the feed to be taken with line 1 refused, got {Describe(outcome)}",
            Refused { InLine: false } refused => outcome.Code == refused.Code
                ? CheckRefused(outcome.Error!.GetRpcStatus(), refused)
                : $"expected {refused.Code} {refused.Reason}, got {Describe(outcome)}",
            Refused refused => outcome.Code == StatusCode.OK && FirstLine(outcome) is { } line
                ? CheckRefused(line.Status, refused)
                : $"expected the feed to be taken with line 1 refused, got {Describe(outcome)}",
            _ => throw new InvalidOperationException(corpusCase.Expect.ToString()),
        };
    }

    public static string Describe(CallOutcome outcome)
    {
        if (outcome.Error is null)
        {
            return "OK";
        }

        var status = outcome.Error.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var fields = status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field) ?? [];
        var message = outcome.Error.Status.Detail;
        return $"{outcome.Code} {info?.Reason ?? "(no ErrorInfo)"} [{string.Join(", ", fields)}] {(message.Length > 300 ? message[..300] + "..." : message)}";
    }

    private static FeedLineResult? FirstLine(CallOutcome outcome) =>
        outcome.Responses.FirstOrDefault() is IFeedResponse feed && feed.Results.Count > 0 ? feed.Results[0] : null;

    private static string? CheckMalformed(MethodDescriptor method, CallOutcome outcome)
    {
        if (outcome.Code != StatusCode.InvalidArgument)
        {
            return $"expected INVALID_ARGUMENT MALFORMED_REQUEST, got {Describe(outcome)}";
        }

        var status = outcome.Error!.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var path = $"/{method.Service.FullName}/{method.Name}";
        if (info is null || info.Reason != "MALFORMED_REQUEST" || info.Domain != "orderservice" || info.Metadata.GetValueOrDefault("method") != path)
        {
            return $"expected ErrorInfo MALFORMED_REQUEST with method {path}, got {Describe(outcome)}";
        }

        return Bounded(status!);
    }

    private static string? CheckInvalid(Status? status, Invalid expected)
    {
        if (status is null || status.Code != (int)StatusCode.InvalidArgument)
        {
            return $"expected INVALID_ARGUMENT naming {expected.Field}, got {(status is null ? "no status details" : $"{(StatusCode)status.Code} {status.Message}")}";
        }

        var info = status.GetDetail<ErrorInfo>();
        var violations = status.GetDetail<BadRequest>()?.FieldViolations;
        if (info is null || info.Domain != "orderservice" || !IsUpperSnake(info.Reason))
        {
            return $"INVALID_ARGUMENT without an orderservice ErrorInfo: {status.Message}";
        }

        if (violations is null || violations.Count == 0)
        {
            return $"INVALID_ARGUMENT {info.Reason} without a BadRequest naming a field: {status.Message}";
        }

        var fields = violations.Select(v => v.Field).ToList();
        if (!fields.Any(field => Names(field, expected.Field)))
        {
            return $"INVALID_ARGUMENT {info.Reason} names [{string.Join(", ", fields.Take(10))}], not {expected.Field}: {Shorten(status.Message)}";
        }

        if (expected.Reason is not null && info.Reason != expected.Reason)
        {
            return $"INVALID_ARGUMENT names {expected.Field} with reason {info.Reason}, not {expected.Reason}";
        }

        if (info.Metadata.GetValueOrDefault("field") != fields[0])
        {
            return $"ErrorInfo metadata field is '{info.Metadata.GetValueOrDefault("field")}', not the first field named, {fields[0]}";
        }

        return Bounded(status);
    }

    private static string? CheckRefused(Status? status, Refused expected)
    {
        if (status is null || status.Code != (int)expected.Code)
        {
            return $"expected {expected.Code} {expected.Reason}, got {(status is null ? "no status details" : $"{(StatusCode)status.Code} {status.Message}")}";
        }

        var info = status.GetDetail<ErrorInfo>();
        if (info is null || info.Domain != "orderservice" || info.Reason != expected.Reason)
        {
            return $"expected {expected.Code} {expected.Reason}, got reason {info?.Reason ?? "(no ErrorInfo)"}: {Shorten(status.Message)}";
        }

        var precondition = status.GetDetail<PreconditionFailure>();
        if (expected.Code == StatusCode.FailedPrecondition
            && (precondition is null || precondition.Violations.Count != 1 || precondition.Violations[0].Type != expected.Reason))
        {
            return $"FAILED_PRECONDITION {expected.Reason} without one PreconditionFailure violation of that type";
        }

        if (expected.Code == StatusCode.AlreadyExists && status.GetDetail<BadRequest>() is not { FieldViolations.Count: > 0 })
        {
            return $"ALREADY_EXISTS {expected.Reason} without a BadRequest naming the field";
        }

        return Bounded(status);
    }

    /// <summary>A violation names the expected field, or a field inside it ("" expects any
    /// field: a feed line as a whole).</summary>
    public static bool Names(string field, string expected) =>
        expected.Length == 0 || field == expected || field.StartsWith(expected + ".", StringComparison.Ordinal) || field.StartsWith(expected + "[", StringComparison.Ordinal);

    private static string? Bounded(Status status) =>
        status.Message.Length > MaxMessageLength
            ? $"the error message is {status.Message.Length:N0} characters: it echoes the input"
            : status.CalculateSize() > MaxDetailsBytes
                ? $"the error details are {status.CalculateSize():N0} bytes: they echo the input"
                : null;

    private static bool IsUpperSnake(string reason) =>
        reason.Length > 0 && reason.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static string Shorten(string message) => message.Length > 300 ? message[..300] + "..." : message;
}

/// <summary>The orders and values one RPC's corpus is built against: a seller and a buyer of
/// its own, and orders brought to each status through the API, made once and reused by
/// every case (a refused case changes nothing, which the corpus checks). <see cref="Fresh"/>
/// gives a context with new orders, for a case the service accepts and that changes them.</summary>
public sealed class CorpusContext(ServerFixture server, string seller, string buyer)
{
    private readonly Dictionary<string, object> _made = new(StringComparer.Ordinal);

    public ServerFixture Server => server;

    public string Seller => seller;

    public string Buyer => buyer;

    public CorpusContext Fresh() => new(server, seller, buyer);

    /// <summary>An order of this context's seller and buyer in <paramref name="status"/>
    /// (<see cref="TestData.OrderIn"/>); <paramref name="key"/> tells apart two orders in the
    /// same status.</summary>
    public Task<string> Order(OrderStatus status, string key = "") =>
        Once($"order/{status}/{key}", async () => (await TestData.OrderIn(server, status, seller, buyer)).OrderId);

    /// <summary>Something made once per context (an order in a particular state, a page token).</summary>
    public async Task<T> Once<T>(string key, Func<Task<T>> make)
        where T : notnull
    {
        if (!_made.TryGetValue(key, out var value))
        {
            value = await make();
            _made[key] = value;
        }

        return (T)value;
    }
}
