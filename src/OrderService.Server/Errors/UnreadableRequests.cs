using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using OrderService.Application.Errors;
using Code = Google.Rpc.Code;

namespace OrderService.Server.Errors;

/// <summary>Answers a request message that cannot be read (bytes that are not the method's
/// message, a string that is not UTF-8, such as a JavaScript lone surrogate) with
/// INVALID_ARGUMENT and an ErrorInfo, and one log line. grpc-dotnet reads a unary or
/// server-streaming request before any interceptor runs, and answered such a message
/// UNKNOWN "Exception was thrown by handler." with a stack trace in the log per call: an
/// anonymous caller could flood the log. Here the one message of such a call is read
/// first (larger than the server's message size limit is RESOURCE_EXHAUSTED), parsed with
/// the method's own parser, and handed on unchanged.</summary>
public sealed class UnreadableRequests(RequestDelegate next, ILogger<UnreadableRequests> logger)
{
    /// <summary>Unary and server-streaming methods of the contract, by path, with the parser
    /// of their request message. Client-streaming methods read their messages inside the
    /// handler, where the error interceptor already answers.</summary>
    private static readonly Dictionary<string, MessageParser> Parsers = new[]
        {
            Contracts.V1.OrderService.Descriptor, Contracts.V1.RefundService.Descriptor, Contracts.V1.NotificationService.Descriptor,
        }
        .SelectMany(service => service.Methods)
        .Where(method => !method.IsClientStreaming)
        .ToDictionary(method => $"/{method.Service.FullName}/{method.Name}", method => method.InputType.Parser, StringComparer.Ordinal);

    /// <summary>The largest message read here: the server's receive limit (Program.cs).</summary>
    public const int MaxMessageBytes = 32 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Parsers.TryGetValue(context.Request.Path.Value ?? "", out var parser)
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            await next(context);
            return;
        }

        // gRPC lifts the server's request body limit for its calls; this reads first, so it
        // does the same (the message size limit below is what bounds a call).
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var body = await ReadAllAsync(context.Request.Body, context.RequestAborted);
        if (body is null)
        {
            logger.MessageTooLarge(MaxMessageBytes, context.Request.Path.Value);
            WriteError(context.Response, Code.ResourceExhausted, $"The request message is larger than {MaxMessageBytes:N0} bytes.",
                ErrorStatus.Info("MESSAGE_TOO_LARGE", new Dictionary<string, string> { ["max_bytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            return;
        }

        if (Unreadable(body, parser) is { } problem)
        {
            logger.UnreadableMessage(context.Request.Path.Value, problem);
            WriteError(context.Response, Code.InvalidArgument, "The request message cannot be read as the method's message: " + problem,
                ErrorStatus.Info("MALFORMED_REQUEST", new Dictionary<string, string> { ["method"] = context.Request.Path.Value ?? "" }));
            return;
        }

        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context);
    }

    /// <summary>The whole request body, or null when it is larger than a message may be.</summary>
    private static async Task<byte[]?> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxMessageBytes + 5)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Why the gRPC frames of <paramref name="body"/> are not one readable message,
    /// or null when they are (or when gRPC itself should judge them: a compressed message,
    /// a framing error).</summary>
    private static string? Unreadable(byte[] body, MessageParser parser)
    {
        if (body.Length < 5 || body[0] != 0)
        {
            return null; // no message, or a compressed one: gRPC's own handling applies
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length > (uint)(body.Length - 5))
        {
            return null;
        }

        try
        {
            parser.ParseFrom(body, 5, (int)length);
            return null;
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or System.Text.DecoderFallbackException or ArgumentException)
        {
            // The parser's own words, bounded: they never quote the client's bytes at length.
            var message = exception.Message;
            return message.Length > 200 ? message[..200] : message;
        }
    }

    private static void WriteError(HttpResponse response, Code code, string message, IMessage detail) =>
        WriteTrailersOnly(response, ErrorStatus.Build(code, message, detail));

    /// <summary>A gRPC error as a trailers-only response, as gRPC itself answers before a
    /// handler runs: the status and its google.rpc.Status details in the headers. For
    /// middleware that refuses a call before gRPC reads it.</summary>
    public static void WriteTrailersOnly(HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }
}
