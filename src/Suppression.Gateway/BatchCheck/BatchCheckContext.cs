using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Tenants;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// The context a batch check answers for, resolved by SMTP's own rules (<see cref="MessageContextRules"/>)
/// as if a message named this tenant, topic and class: a context SMTP would refuse (an unknown tenant, a
/// topic the tenant did not declare, transactional mail from a tenant not allowed it, marketing mail
/// without a topic from a tenant that declared topics) is a 400 naming SMTP's reply, since no address
/// could receive such mail. No tenant, with tenants configured, answers for relay mail that names none:
/// every tenant's opt-outs apply.
/// </summary>
public static class BatchCheckContext
{
    public static bool TryResolve(
        string? tenant, string? topic, string? messageClass, CheckCaller caller, TenantDirectory tenants, out MessageContext context, [NotNullWhen(false)] out ProblemHttpResult? refused)
    {
        ArgumentNullException.ThrowIfNull(caller);
        refused = null;

        // A tenant key checks for its own tenant's mail only (README, tenant API keys): naming another is
        // the key's 403, not SMTP's refusal, since the verdicts would disclose that tenant's opt-outs.
        if (Given(tenant) is { } named && !caller.View.MayActFor(named))
        {
            context = MessageContext.UntenantedMarketing;
            refused = caller.View.OtherTenant(named);
            return false;
        }

        if (MessageContextRules.TryResolve(Given(tenant), Given(topic), listId: null, Given(messageClass), caller.BoundTenant, tenants, out context, out var refusal))
        {
            return true;
        }

        refused = TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Context refused",
            detail: $"SMTP would refuse mail of this context ({refusal.Code} {refusal.EnhancedCode} {string.Join(" ", refusal.Lines)}), so no address could receive it. "
                + "Give tenant, topic and class as the mail would name them (X-Suppression-Tenant, X-Suppression-Topic or List-Id, X-Suppression-Class).");
        return false;
    }

    // An empty query parameter (?topic=) names nothing, as an absent header does.
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
