using Google.Protobuf;

namespace OrderService.Application.Idempotency;

/// <summary>What a mutating request is stored under (AIP-155): the caller's request_id, in
/// canonical form, and the method and request it was first used for, so that a retry gets
/// the stored answer and another request under the same id is refused.</summary>
public sealed record RequestKey(string Method, string RequestId, IMessage Request);
