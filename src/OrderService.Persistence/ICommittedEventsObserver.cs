using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>Told of every order event once the transaction that holds it has committed,
/// whichever path made the change (a use case, a feed chunk, a background pass): the one
/// place where what really happened can be counted. Never told of work that was discarded
/// (validate_only), failed or rolled back, nor of a replayed stored answer. Called on the
/// saving thread, after the commit: it must be quick and must not throw.</summary>
public interface ICommittedEventsObserver
{
    void Committed(Order order, OrderEvent orderEvent);
}
