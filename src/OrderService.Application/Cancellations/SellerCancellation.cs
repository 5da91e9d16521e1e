using OrderService.Domain;

namespace OrderService.Application.Cancellations;

/// <summary>What a seller asks when it cancels an order, alone (CancelOrder) or as a line
/// of a cancellation feed (R10): both are answered alike.</summary>
public sealed record SellerCancellation(string OrderId, CancelReason Reason, CancellationRequester Requester, string Note);
