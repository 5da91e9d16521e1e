using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using OrderService.Contracts.V1;

namespace OrderService.OrderCtl;

/// <summary>Every RPC of the contract, found by name in the generated descriptors and called
/// with messages parsed from JSON: a new RPC in the protos is an orderctl command with no
/// change here.</summary>
public static class Rpc
{
    public static readonly IReadOnlyList<ServiceDescriptor> Services =
    [
        Contracts.V1.OrderService.Descriptor,
        RefundService.Descriptor,
        NotificationService.Descriptor,
    ];

    /// <summary>Protobuf JSON (the proto3 JSON mapping) with the google.rpc details a feed
    /// line's status carries resolved.</summary>
    public static readonly TypeRegistry Types = TypeRegistry.FromMessages(
        Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor, Google.Rpc.PreconditionFailure.Descriptor);

    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Types));

    public static readonly JsonFormatter Pretty = new(JsonFormatter.Settings.Default.WithTypeRegistry(Types).WithIndentation());

    public static readonly JsonFormatter OneLine = new(JsonFormatter.Settings.Default.WithTypeRegistry(Types));

    /// <summary>An enum of the contract by its proto name ("CancelReason").</summary>
    public static EnumDescriptor EnumType(string name) =>
        new[] { TypesReflection.Descriptor }.Concat(Services.Select(s => s.File))
            .Select(file => file.FindTypeByName<EnumDescriptor>(name)).First(found => found is not null);

    /// <summary>"CreateOrder", "OrderService.CreateOrder" or "orderservice.v1.OrderService/CreateOrder".</summary>
    public static MethodDescriptor? Find(string name)
    {
        var parts = name.Replace('/', '.').Split('.');
        var method = parts[^1];
        var service = parts.Length > 1 ? string.Join('.', parts[..^1]) : null;
        var matches = Services
            .Where(s => service is null || s.Name.Equals(service, StringComparison.OrdinalIgnoreCase)
                || s.FullName.Equals(service, StringComparison.OrdinalIgnoreCase))
            .SelectMany(s => s.Methods)
            .Where(m => m.Name.Equals(method, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    public static Method<IMessage, IMessage> MethodOf(MethodDescriptor descriptor)
    {
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        return new Method<IMessage, IMessage>(type, descriptor.Service.FullName, descriptor.Name,
            Marshaller(descriptor.InputType), Marshaller(descriptor.OutputType));
    }

    private static Marshaller<IMessage> Marshaller(MessageDescriptor type) =>
        Marshallers.Create(message => message.ToByteArray(), bytes => type.Parser.ParseFrom(bytes));
}
