using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Everything a caller got back from one or more calls: the status, the response
/// headers, the trailers (with the google.rpc.Status details) and every message, kept so
/// that a test can search all of it for bytes the caller must not see, or compare two
/// answers as a whole.</summary>
public sealed partial class CallTranscript
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(false)
        .WithTypeRegistry(TypeRegistry.FromFiles(
            Google.Rpc.ErrorDetailsReflection.Descriptor,
            Google.Rpc.StatusReflection.Descriptor)));

    private readonly List<Metadata> _headers = [];
    private readonly List<Metadata> _trailers = [];
    private readonly List<IMessage> _messages = [];

    /// <summary>The status of the first call that did not end OK, or OK. A stream the test
    /// stopped itself after reading what it waited for counts as OK.</summary>
    public Status Status { get; private set; } = Status.DefaultSuccess;

    public IReadOnlyList<IMessage> Messages => _messages;

    public bool Ok => Status.StatusCode == StatusCode.OK;

    /// <summary>The google.rpc.Status of a failed call, from its trailers.</summary>
    public Google.Rpc.Status? RichStatus { get; private set; }

    public Google.Rpc.ErrorInfo? ErrorInfo => RichStatus?.GetDetail<Google.Rpc.ErrorInfo>();

    public void Add(IMessage message) => _messages.Add(message);

    public void AddHeaders(Metadata? headers)
    {
        if (headers is not null)
        {
            _headers.Add(headers);
        }
    }

    /// <summary>The end of one call: its status and trailers.</summary>
    public void End(Status status, Metadata? trailers)
    {
        if (trailers is not null)
        {
            _trailers.Add(trailers);
        }

        if (Ok && status.StatusCode != StatusCode.OK)
        {
            Status = status;
            var details = trailers?.GetValueBytes("grpc-status-details-bin");
            RichStatus = details is null ? null : Google.Rpc.Status.Parser.ParseFrom(details);
        }
    }

    /// <summary>A description for failure messages.</summary>
    public override string ToString() =>
        $"{Status.StatusCode} ({ErrorInfo?.Reason}): {Status.Detail}; {_messages.Count} message(s)";

    /// <summary>Every byte the caller got, as text: the status and its message, every
    /// header and trailer (binary ones as their bytes, and the google.rpc.Status decoded
    /// with its details), every message as JSON and as its wire bytes, and whatever any
    /// base64 or base64url run in all of that decodes to (page tokens and cursors are
    /// base64url JSON). ASCII and UTF-8 text is found in it as it was sent.</summary>
    public string Everything()
    {
        var text = new StringBuilder();
        text.AppendLine($"status {Status.StatusCode}: {Status.Detail}");
        foreach (var metadata in _headers.Concat(_trailers))
        {
            foreach (var entry in metadata)
            {
                text.AppendLine(entry.IsBinary ? $"{entry.Key}: {Bytes(entry.ValueBytes)}" : $"{entry.Key}: {entry.Value}");
                if (entry.IsBinary && entry.Key == "grpc-status-details-bin")
                {
                    text.AppendLine(Format(Google.Rpc.Status.Parser.ParseFrom(entry.ValueBytes)));
                }
            }
        }

        foreach (var message in _messages)
        {
            text.AppendLine(Format(message));
            text.AppendLine(Bytes(message.ToByteArray()));
        }

        var all = text.ToString();
        foreach (Match run in Base64Run().Matches(all))
        {
            if (TryDecode(run.Value) is { } decoded)
            {
                text.AppendLine(Bytes(decoded));
            }
        }

        return text.ToString();
    }

    /// <summary>The answer as a whole, for comparing two calls: status, details, trailers
    /// and messages, with each of <paramref name="replacements"/> replaced. Response headers
    /// are left out (they carry the date).</summary>
    public string Comparable(params (string From, string To)[] replacements)
    {
        var text = new StringBuilder();
        text.AppendLine($"status {Status.StatusCode}: {Status.Detail}");
        foreach (var entry in _trailers.SelectMany(metadata => metadata))
        {
            text.AppendLine(entry.Key == "grpc-status-details-bin"
                ? $"{entry.Key}: {Format(Google.Rpc.Status.Parser.ParseFrom(entry.ValueBytes))}"
                : entry.IsBinary ? $"{entry.Key}: {Convert.ToBase64String(entry.ValueBytes)}" : $"{entry.Key}: {entry.Value}");
        }

        foreach (var message in _messages)
        {
            text.AppendLine(Format(message));
        }

        var result = text.ToString();
        foreach (var (from, to) in replacements)
        {
            result = result.Replace(from, to, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Each of <paramref name="secrets"/> (name, value) that occurs anywhere in what
    /// the caller got, with where.</summary>
    public IEnumerable<string> Leaks(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        var everything = Everything();
        foreach (var (name, value) in secrets)
        {
            var at = everything.IndexOf(value, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var from = Math.Max(0, at - 80);
                yield return $"{name} '{value}' in: ...{everything[from..Math.Min(everything.Length, at + value.Length + 80)]}...";
            }
        }
    }

    /// <summary>A message as text: JSON (with the google.rpc details a Status carries), or
    /// its diagnostic form when JSON cannot show it.</summary>
    public static string Format(IMessage message)
    {
        try
        {
            return Json.Format(message);
        }
        catch (InvalidOperationException)
        {
            return message.ToString() ?? "";
        }
    }

    /// <summary>Bytes as UTF-8 text, and as Latin-1 for what is not UTF-8.</summary>
    private static string Bytes(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes) + "\n" + Encoding.Latin1.GetString(bytes);

    private static byte[]? TryDecode(string run)
    {
        var trimmed = run.TrimEnd('=');
        if (trimmed.Length < 16)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(trimmed.Replace('+', '-').Replace('/', '_'));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex("[A-Za-z0-9+/_-]{16,}={0,2}")]
    private static partial Regex Base64Run();
}

/// <summary>Calls any method of the contract by its descriptor, whatever its request
/// type, and records the whole answer.</summary>
public static class RawCalls
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Method<IMessage, IMessage> MethodOf(MethodDescriptor method)
    {
        if (method.IsClientStreaming)
        {
            throw new NotSupportedException($"{method.FullName} streams its requests: give its matrix entry a way to call it.");
        }

        return new Method<IMessage, IMessage>(
            method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            method.Service.FullName,
            method.Name,
            Marshallers.Create<IMessage>(message => message.ToByteArray(), bytes => method.InputType.Parser.ParseFrom(bytes)),
            Marshallers.Create<IMessage>(message => message.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes)));
    }

    /// <summary>One call, to its end: a unary call's response, or every message of a
    /// server stream.</summary>
    public static async Task<CallTranscript> CallAsync(CallInvoker invoker, MethodDescriptor method, IMessage request)
    {
        var transcript = new CallTranscript();
        var options = new CallOptions(deadline: DateTime.UtcNow + Deadline);
        if (method.IsServerStreaming)
        {
            using var stream = invoker.AsyncServerStreamingCall(MethodOf(method), null, options, request);
            try
            {
                while (await stream.ResponseStream.MoveNext(CancellationToken.None))
                {
                    transcript.Add(stream.ResponseStream.Current);
                }

                transcript.AddHeaders(await stream.ResponseHeadersAsync);
                transcript.End(stream.GetStatus(), stream.GetTrailers());
            }
            catch (RpcException exception)
            {
                transcript.AddHeaders(await HeadersOf(stream.ResponseHeadersAsync));
                transcript.End(exception.Status, exception.Trailers);
            }

            return transcript;
        }

        using var call = invoker.AsyncUnaryCall(MethodOf(method), null, options, request);
        try
        {
            transcript.Add(await call.ResponseAsync);
            transcript.AddHeaders(await call.ResponseHeadersAsync);
            transcript.End(call.GetStatus(), call.GetTrailers());
        }
        catch (RpcException exception)
        {
            transcript.AddHeaders(await HeadersOf(call.ResponseHeadersAsync));
            transcript.End(exception.Status, exception.Trailers);
        }

        return transcript;
    }

    /// <summary>The response headers of a call that failed, if it got any.</summary>
    public static async Task<Metadata?> HeadersOf(Task<Metadata> headers)
    {
        try
        {
            return await headers;
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
