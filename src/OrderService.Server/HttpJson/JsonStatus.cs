using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Code = Google.Rpc.Code;
using Status = Google.Rpc.Status;

namespace OrderService.Server.HttpJson;

/// <summary>An error answered on the HTTP/JSON routes by this server itself, before the
/// transcoded method runs (the rate limit, a body that is not JSON): a google.rpc.Status as
/// JSON, with the HTTP status its code maps to, as gRPC JSON transcoding answers the errors
/// of the methods themselves.</summary>
public static class JsonStatus
{
    /// <summary>The error details the service sends, so that the details (Any) can be written
    /// as JSON, here and by the transcoder (Program.cs gives it the same registry).</summary>
    public static readonly TypeRegistry ErrorDetails = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);

    /// <summary>Quotes in messages stay quotes ("\"", not "\u0022"): the body is JSON, never HTML.</summary>
    private static readonly JsonSerializerOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ErrorDetails));

    /// <summary>True for a gRPC call (application/grpc, +proto, -web, ...), false for a call of
    /// the HTTP/JSON routes, or any other HTTP request.</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The HTTP status of a google.rpc.Code, as google.rpc.Code documents it and gRPC
    /// JSON transcoding answers.</summary>
    public static int HttpStatusOf(Code code) => code switch
    {
        Code.Ok => StatusCodes.Status200OK,
        Code.Cancelled => 499,
        Code.InvalidArgument or Code.FailedPrecondition or Code.OutOfRange => StatusCodes.Status400BadRequest,
        Code.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        Code.NotFound => StatusCodes.Status404NotFound,
        Code.AlreadyExists or Code.Aborted => StatusCodes.Status409Conflict,
        Code.PermissionDenied => StatusCodes.Status403Forbidden,
        Code.Unauthenticated => StatusCodes.Status401Unauthorized,
        Code.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        Code.Unimplemented => StatusCodes.Status501NotImplemented,
        Code.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError, // UNKNOWN, INTERNAL, DATA_LOSS
    };

    /// <summary>Writes <paramref name="status"/> as the whole response: its HTTP status (or
    /// <paramref name="httpStatus"/>, where HTTP has a more precise one) and the JSON body.</summary>
    public static Task WriteAsync(HttpResponse response, Status status, int? httpStatus = null)
    {
        response.StatusCode = httpStatus ?? HttpStatusOf((Code)status.Code);
        response.ContentType = "application/json; charset=utf-8";
        return response.Body.WriteAsync(Compact(Formatter.Format(status)), response.HttpContext.RequestAborted).AsTask();
    }

    /// <summary>The formatter's JSON without its spaces, as the transcoder writes JSON.</summary>
    private static byte[] Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement, CompactOptions);
    }
}
