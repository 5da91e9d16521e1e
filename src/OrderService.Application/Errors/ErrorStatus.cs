using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using OrderService.Domain;
using Status = Google.Rpc.Status;

namespace OrderService.Application.Errors;

/// <summary>Builds the google.rpc.Status of every refusal: an ErrorInfo (UPPER_SNAKE
/// reason, domain "orderservice") and, where it applies, a BadRequest naming the field or a
/// PreconditionFailure (AIP-193). The server throws it as an RpcException; a feed line
/// carries it as its result, so a line is answered exactly as the single-order RPC.</summary>
public static class ErrorStatus
{
    public const string Domain = "orderservice";

    /// <summary>The one mapping from domain refusals to status codes and details.</summary>
    public static Status Of(DomainException exception)
    {
        var code = exception.Kind switch
        {
            ErrorKind.InvalidArgument => Code.InvalidArgument,
            ErrorKind.FailedPrecondition => Code.FailedPrecondition,
            ErrorKind.NotFound => Code.NotFound,
            ErrorKind.AlreadyExists => Code.AlreadyExists,
            ErrorKind.PermissionDenied => Code.PermissionDenied,
            ErrorKind.Aborted => Code.Aborted,
            _ => Code.Internal,
        };
        var metadata = new Dictionary<string, string>(exception.Metadata);
        if (exception.Field is not null)
        {
            metadata["field"] = exception.Field;
        }

        var details = new List<IMessage> { Info(exception.Reason, metadata) };
        if (exception.Field is not null && code is Code.InvalidArgument or Code.AlreadyExists)
        {
            details.Add(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = exception.Field, Description = exception.Message } },
            });
        }

        if (code == Code.FailedPrecondition)
        {
            details.Add(new PreconditionFailure
            {
                Violations =
                {
                    new PreconditionFailure.Types.Violation
                    {
                        Type = exception.Reason,
                        Subject = exception.Field ?? "order",
                        Description = exception.Message,
                    },
                },
            });
        }

        return Build(code, exception.Message, [.. details]);
    }

    public static ErrorInfo Info(string reason, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        return info;
    }

    public static Status Build(Code code, string message, params IMessage[] details)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.AddRange(details.Select(Any.Pack));
        return status;
    }

    public static Status Ok() => new() { Code = (int)Code.Ok };

    public static bool IsOk(Status status) => status.Code == (int)Code.Ok;
}
