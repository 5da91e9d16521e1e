using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OrderService.Application.Errors;
using OrderService.Server.Errors;

namespace OrderService.Server.HttpJson;

/// <summary>The HTTP/JSON counterpart of <see cref="UnreadableRequests"/>: a call of a
/// transcoded route whose body or query parameters cannot be read as the method's request
/// gets a precise INVALID_ARGUMENT, as a google.rpc.Status JSON body with an ErrorInfo, before
/// the transcoder reads it. The transcoder's own answer names no field and carries no
/// details ("Request JSON payload is not correctly formatted.").
/// <list type="bullet">
/// <item>Not JSON at all: 400, reason MALFORMED_REQUEST, the JSON reader's words with the line
/// and byte where it stopped.</item>
/// <item>JSON whose values do not fit the fields (a string for a number, an unknown enum
/// name, an object for a list), in the body or in a query parameter: 400, reason
/// INVALID_FIELD, with a BadRequest naming every such field by its path
/// ("items[0].quantity"), as the service names fields.</item>
/// <item>A body that is not declared JSON: 415, reason MALFORMED_REQUEST. No Content-Type is
/// taken as JSON, and an empty body as {} (the method then names its required fields).</item>
/// <item>Larger than the server's message size limit: 413, RESOURCE_EXHAUSTED
/// MESSAGE_TOO_LARGE.</item>
/// </list>
/// Unknown fields and query parameters are ignored, as the transcoder ignores them. A
/// request that passes is handed on with its body unchanged.</summary>
public sealed class UnreadableJson(RequestDelegate next, ILogger<UnreadableJson> logger)
{
    private static readonly JsonParser StrictParser = new(JsonParser.Settings.Default);

    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (route is null)
        {
            await next(context);
            return;
        }

        // RFC 9110: a 401 names the scheme to authenticate with.
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Task.CompletedTask;
        });

        var method = $"/{route.MethodDescriptor.Service.FullName}/{route.MethodDescriptor.Name}";
        var input = route.MethodDescriptor.InputType;
        var violations = new List<RpcErrors.FieldViolation>();
        var body = route.HttpRule.Body;
        if (body != "*")
        {
            CheckQuery(context.Request.Query, input, violations);
        }

        if (body.Length > 0 && await CheckBodyAsync(context, method, input, body, violations) is { } refusal)
        {
            logger.LogInformation("Unreadable JSON request for {Method}: {Problem}", method, refusal.Message);
            await JsonStatus.WriteAsync(context.Response, refusal.Status, refusal.HttpStatus);
            return;
        }

        if (violations.Count > 0)
        {
            logger.LogInformation("Unreadable JSON fields for {Method}: {Fields}", method, string.Join(", ", violations.Select(v => v.Field)));
            await JsonStatus.WriteAsync(context.Response, RpcErrors.StatusOf(RpcErrors.InvalidArgument("INVALID_FIELD", violations)));
            return;
        }

        await next(context);
    }

    private sealed record Refusal(Google.Rpc.Status Status, int HttpStatus)
    {
        public string Message => Status.Message;
    }

    /// <summary>Reads the body, refuses what cannot be read at all, adds the fields that do
    /// not fit to <paramref name="violations"/>, and puts the body back for the transcoder.</summary>
    private static async Task<Refusal?> CheckBodyAsync(
        HttpContext context, string method, MessageDescriptor input, string bodyField, List<RpcErrors.FieldViolation> violations)
    {
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } contentType)
        {
            if (!IsJson(contentType, out var utf8))
            {
                return Malformed(method, StatusCodes.Status415UnsupportedMediaType,
                    $"The request body must be JSON, sent with Content-Type: application/json (it was sent as '{Bounded(contentType, 100)}').");
            }

            if (!utf8)
            {
                return null; // another charset: the transcoder decodes it and judges it itself
            }
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // bounded below by the server's message size limit
        }

        var bytes = await ReadAllAsync(request.Body, context.RequestAborted);
        if (bytes is null)
        {
            var max = UnreadableRequests.MaxMessageBytes;
            return new Refusal(ErrorStatus.Build(Code.ResourceExhausted, $"The request body is larger than {max:N0} bytes.",
                ErrorStatus.Info("MESSAGE_TOO_LARGE", new Dictionary<string, string> { ["max_bytes"] = max.ToString(CultureInfo.InvariantCulture) })),
                StatusCodes.Status413PayloadTooLarge);
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            bytes = "{}"u8.ToArray(); // no body: an empty request, whose required fields the method names
        }

        request.Body = new MemoryStream(bytes, writable: false);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json; charset=utf-8";

        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Malformed(method, StatusCodes.Status400BadRequest, "The request body is not UTF-8.");
        }

        // The body is the request message, or the value of the one field the rule names.
        if (bodyField != "*")
        {
            json = $"{{\"{bodyField}\": {json}}}";
        }

        try
        {
            StrictParser.Parse(json, input);
            return null; // the common case: one pass, nothing more to check
        }
        catch (Exception exception) when (IsParseFailure(exception))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 100 });
            }
            catch (JsonException syntax)
            {
                return Malformed(method, StatusCodes.Status400BadRequest, "The request body is not valid JSON: " + Bounded(syntax.Message, 300));
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Malformed(method, StatusCodes.Status400BadRequest,
                        $"The request body must be a JSON object (the request message), not {Article(document.RootElement.ValueKind)}.");
                }

                // Strict parsing also refuses unknown fields, which the transcoder ignores: only
                // the fields found here stop the call.
                Locate(document.RootElement, input, "", violations);
            }

            return null;
        }
    }

    /// <summary>Adds a violation for every field of <paramref name="message"/> whose value does
    /// not fit it, descending into messages and lists so that the deepest field is named.</summary>
    private static void Locate(JsonElement message, MessageDescriptor descriptor, string path, List<RpcErrors.FieldViolation> violations)
    {
        foreach (var property in message.EnumerateObject())
        {
            if (FindField(descriptor, property.Name) is not { } field)
            {
                continue; // unknown: ignored
            }

            var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.IsRepeated && !field.IsMap)
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    violations.Add(new(fieldPath, $"must be a JSON array; got {Bounded(value.GetRawText(), 60)}"));
                    continue;
                }

                var index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    var elementPath = $"{fieldPath}[{index++}]";
                    if (element.ValueKind == JsonValueKind.Null)
                    {
                        violations.Add(new(elementPath, "must not be null: a list holds no empty places"));
                        continue;
                    }

                    CheckValue(element, field, descriptor, elementPath, property.Name, inArray: true, violations);
                }
            }
            else
            {
                CheckValue(value, field, descriptor, fieldPath, property.Name, inArray: false, violations);
            }
        }
    }

    private static void CheckValue(
        JsonElement value, FieldDescriptor field, MessageDescriptor container, string path, string name, bool inArray,
        List<RpcErrors.FieldViolation> violations)
    {
        if (field.FieldType == FieldType.Message && !IsWellKnown(field.MessageType) && !field.IsMap)
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                Locate(value, field.MessageType, path, violations);
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                violations.Add(new(path, $"must be a JSON object (a {field.MessageType.Name}); got {Bounded(value.GetRawText(), 60)}"));
            }

            return;
        }

        // A leaf (or a map, or a well-known type with its own JSON form): the parser judges it
        // alone, as the one field of its message.
        var raw = value.GetRawText();
        var json = inArray ? $"{{\"{name}\": [{raw}]}}" : $"{{\"{name}\": {raw}}}";
        try
        {
            StrictParser.Parse(json, container);
        }
        catch (Exception exception) when (IsParseFailure(exception))
        {
            violations.Add(new(path, field.FieldType == FieldType.String && value.ValueKind == JsonValueKind.String
                ? "must be valid Unicode text (no lone surrogate such as \\ud800)"
                : $"must be {Describe(field)}; got {Bounded(raw, 60)}"));
        }
    }

    /// <summary>Each query parameter that names a field (by its JSON or proto name, dotted for
    /// a nested field) must hold a value of that field's type.</summary>
    private static void CheckQuery(IQueryCollection query, MessageDescriptor input, List<RpcErrors.FieldViolation> violations)
    {
        foreach (var (key, values) in query)
        {
            MessageDescriptor? descriptor = input;
            var names = new List<string>();
            var protoNames = new List<string>();
            FieldDescriptor? field = null;
            foreach (var segment in key.Split('.'))
            {
                if (descriptor is null || FindField(descriptor, segment) is not { } found)
                {
                    field = null;
                    break;
                }

                field = found;
                names.Add(found.JsonName);
                protoNames.Add(found.Name);
                descriptor = found.FieldType == FieldType.Message ? found.MessageType : null;
            }

            if (field is null || (field.FieldType == FieldType.Message && !IsWellKnown(field.MessageType)) || field.IsMap)
            {
                continue; // not a field, or not one a query parameter can set: the transcoder's call
            }

            var path = string.Join(".", protoNames);
            if (!field.IsRepeated && values.Count > 1)
            {
                violations.Add(new(path, $"takes one value; the query gave it {values.Count}"));
                continue;
            }

            foreach (var value in values)
            {
                // As JSON: true and false bare, an enum's number bare, anything else a string
                // (the JSON mapping takes numbers, times and durations as strings too).
                var literal = field.FieldType switch
                {
                    FieldType.Bool when bool.TryParse(value, out var flag) => flag ? "true" : "false",
                    FieldType.Enum when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) =>
                        number.ToString(CultureInfo.InvariantCulture),
                    _ => JsonSerializer.Serialize(value ?? ""),
                };
                var json = field.IsRepeated ? $"[{literal}]" : literal;
                for (var i = names.Count - 1; i >= 0; i--)
                {
                    json = $"{{\"{names[i]}\": {json}}}";
                }

                try
                {
                    StrictParser.Parse(json, input);
                }
                catch (Exception exception) when (IsParseFailure(exception))
                {
                    violations.Add(new(path, $"must be {Describe(field)}; got '{Bounded(value ?? "", 60)}'"));
                    break;
                }
            }
        }
    }

    /// <summary>Whatever the JSON parser throws on text it cannot take (InvalidJsonException,
    /// InvalidProtocolBufferException, FormatException, an overflow, ...): parsing a string in
    /// memory fails for no other reason.</summary>
    private static bool IsParseFailure(Exception exception) => exception is not (OutOfMemoryException or OperationCanceledException);

    private static FieldDescriptor? FindField(MessageDescriptor descriptor, string name) =>
        descriptor.FindFieldByName(name) ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    /// <summary>Message types with a JSON form of their own (a string, a number, any JSON).</summary>
    private static bool IsWellKnown(MessageDescriptor type) => type.File.Package == "google.protobuf";

    /// <summary>What a field's JSON value must be, in words.</summary>
    private static string Describe(FieldDescriptor field) => field.FieldType switch
    {
        _ when field.IsMap => "a JSON object",
        FieldType.Bool => "true or false",
        FieldType.String => "a string",
        FieldType.Bytes => "base64 text",
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => "a 32-bit integer",
        FieldType.UInt32 or FieldType.Fixed32 => "an unsigned 32-bit integer",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "a 64-bit integer (a number or a decimal string)",
        FieldType.UInt64 or FieldType.Fixed64 => "an unsigned 64-bit integer (a number or a decimal string)",
        FieldType.Float or FieldType.Double => "a number",
        FieldType.Enum => $"one of the names of {field.EnumType.Name}, such as \"{field.EnumType.Values.Skip(1).FirstOrDefault()?.Name ?? field.EnumType.Values[0].Name}\"",
        FieldType.Message when field.MessageType.FullName == "google.protobuf.Timestamp" => "an RFC 3339 time such as \"2026-05-01T09:00:00Z\"",
        FieldType.Message when field.MessageType.FullName == "google.protobuf.Duration" => "a duration in seconds such as \"86400s\"",
        FieldType.Message => $"the JSON form of {field.MessageType.FullName}",
        _ => "a value of its type",
    };

    private static Refusal Malformed(string method, int httpStatus, string message) =>
        new(ErrorStatus.Build(Code.InvalidArgument, message,
            ErrorStatus.Info("MALFORMED_REQUEST", new Dictionary<string, string> { ["method"] = method })), httpStatus);

    private static bool IsJson(string contentType, out bool utf8)
    {
        utf8 = true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value ?? "";
        var charset = media.Charset.Value;
        utf8 = string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Bounded(string text, int max) => text.Length > max ? text[..max] + "..." : text;

    /// <summary>The whole body, or null when it is larger than a message may be.</summary>
    private static async Task<byte[]?> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > UnreadableRequests.MaxMessageBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
