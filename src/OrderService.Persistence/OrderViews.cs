using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>Renders the stored view of an order: the order exactly as GetOrder and
/// ListOrders answer it, kept in the order's own row (columns <see cref="ViewColumn"/> and
/// <see cref="ViewFormatColumn"/>) and rewritten in the transaction of every change of the
/// order, so that reading an order is one statement by key instead of one per table of the
/// aggregate. The application supplies it (the view is a contract message, which this
/// project does not know).</summary>
public interface IOrderViewRenderer
{
    /// <summary>The shadow property (and column) holding the rendered view.</summary>
    const string ViewColumn = "View";

    /// <summary>The shadow property (and column) holding the format the view was rendered
    /// in; 0 for an order with no view yet (written before views existed).</summary>
    const string ViewFormatColumn = "ViewFormat";

    /// <summary>The shadow property (and column) holding the order's version the view was
    /// rendered at: a view whose version is not the order's is older than the order (written
    /// by a build that did not render it) and is not used.</summary>
    const string ViewVersionColumn = "ViewVersion";

    /// <summary>Identifies what <see cref="Render"/> writes: a view stored in another format
    /// is not used (the order is read whole instead) until the order is rendered again.</summary>
    int Format { get; }

    byte[] Render(Order order);
}
