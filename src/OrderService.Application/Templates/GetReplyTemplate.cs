using OrderService.Application.Access;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Templates;

/// <summary>A reply to the buyer (T1-T6) filled in with the order's facts.</summary>
public sealed class GetReplyTemplate(OrderRepository orders)
{
    public async Task<GetReplyTemplateResponse> ExecuteAsync(
        Caller caller, Domain.ReplyTemplateId templateId, string languageCode, string orderId, CancellationToken cancellationToken)
    {
        var order = await orders.ReadVisibleAsync(caller, orderId, cancellationToken);
        var (subject, body) = ReplyTemplates.Render(templateId, languageCode, order);
        return new GetReplyTemplateResponse
        {
            Template = new ReplyTemplate
            {
                TemplateId = (Contracts.V1.ReplyTemplateId)templateId,
                LanguageCode = languageCode.Split('-')[0].ToLowerInvariant(),
                Subject = subject,
                Body = body,
            },
        };
    }
}
