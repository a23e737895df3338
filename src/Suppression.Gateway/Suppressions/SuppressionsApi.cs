using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Suppressions;

namespace Suppression.Gateway.Suppressions;

/// <summary>
/// /api/v1/suppressions: add, look up and remove (re-consent) entries (docs/design.md, HTTP).
/// Lookup and removal take the address in the path, or as <c>?address=</c> (and, for removal, in
/// the body): a path segment cannot carry a '/', which is legal in a local part, since servers and
/// proxies treat an encoded one (%2F) as a separator or refuse it. Tenant keys are admitted and
/// kept to their tenant by <see cref="TenantView"/>: they see what blocks their mail and change only their scopes.
/// </summary>
public static class SuppressionsApi
{
    private const string NoAddress = "Give the address in the path (/api/v1/suppressions/{address}) or as ?address= (needed for one with a '/').";

    public static RouteGroupBuilder MapSuppressionsApiV1(this RouteGroupBuilder api)
    {
        api.MapPost("/suppressions", AddAsync).Documented(ApiContract.SuppressionsTag, "addSuppression", "Suppress an address",
            "Adds an entry for the address in a scope (global, tenant:<id> or topic:<tenant>/<topic>; default global; for a tenant key, its tenant) with a reason "
            + "(default manual), audited with the note as evidence. 201 when added, 200 when it was already there. Admin keys only.", StatusCodes.Status400BadRequest).AdmitTenantKeys();
        api.MapGet("/suppressions/{address}", GetAsync).Documented(ApiContract.SuppressionsTag, "getSuppression", "Look an address up",
            "Every entry stored for the address, normalised as the SMTP path does; 404 when none applies. An address holding a '/' "
            + "is looked up with GET /api/v1/suppressions?address=. Admin and compliance keys.", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound).AdmitTenantKeys();
        api.MapGet("/suppressions", (string? address, HttpContext http, ISuppressionStore store, CancellationToken cancellationToken) => GetAsync(address, http, store, cancellationToken))
            .Documented(ApiContract.SuppressionsTag, "findSuppression", "Look an address up (address in the query)",
            "As GET /api/v1/suppressions/{address}, for any address, including one with a '/'. Admin and compliance keys.", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound).AdmitTenantKeys();
        api.MapDelete("/suppressions/{address}", RemoveAsync).Documented(ApiContract.SuppressionsTag, "removeSuppression", "Remove an address's suppression (re-consent)",
            "Removes the address's entries, or only those of ?scope=; the body's evidence of renewed consent is required and audited. "
            + "404 when no entry of that scope applies. Admin keys only.", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound).AdmitTenantKeys();
        api.MapDelete("/suppressions", RemoveByQueryOrBodyAsync).Documented(ApiContract.SuppressionsTag, "removeSuppressionByQuery", "Remove a suppression (address in the query or body)",
            "As DELETE /api/v1/suppressions/{address}, for any address, given as ?address= or in the body. Admin keys only.", StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound).AdmitTenantKeys();
        return api;
    }

    /// <summary>Where an address can be looked up again: the path, unless it holds a character a path segment cannot carry.</summary>
    public static string LocationOf(NormalizedAddress address) => address.Value.Contains('/', StringComparison.Ordinal)
        ? "/api/v1/suppressions?address=" + Uri.EscapeDataString(address.Value)
        : "/api/v1/suppressions/" + Uri.EscapeDataString(address.Value);

    private static async Task<Results<Created<SuppressionResponse>, Ok<SuppressionResponse>, ProblemHttpResult>> AddAsync(
        AddSuppressionRequest request, HttpContext http, ISuppressionStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!AddressNormalizer.TryNormalize(request.Address, out var address, out var error))
        {
            return BadRequest("address", error);
        }

        if (!SuppressionScope.TryParse(request.Scope, out var scope))
        {
            return BadRequest("scope", "Use global, tenant:<id> or topic:<tenant>/<topic>.");
        }

        var view = TenantView.Of(http);
        scope = request.Scope is null ? view.DefaultScope : scope;
        if (!view.MayChange(scope))
        {
            return view.OutsideScope(scope);
        }

        var reason = SuppressionReason.Manual;
        if (request.Reason is not null && !ContractNames.TryParseReason(request.Reason, out reason))
        {
            return BadRequest("reason", "Use one of: " + string.Join(", ", ContractNames.AllReasonNames) + ".");
        }

        var now = time.GetUtcNow();
        var entry = new SuppressionEntry(scope, reason, SuppressionSource.Api, now.ToWholeSeconds());
        var added = await store.AddAsync(
            address,
            entry,
            ApiAudit.Record(http, now, AuditEventType.Suppressed) with { Scope = scope, Reason = reason, Source = SuppressionSource.Api, Evidence = request.Note },
            cancellationToken);
        loggers.CreateLogger(typeof(SuppressionsApi)).SuppressionAddedByApi(added ? "added" : "already present", scope, reason.Name());
        var entries = view.Visible((await store.GetEntriesAsync([address], cancellationToken))[0]);
        var response = ToResponse(address, entries);
        return added
            ? TypedResults.Created(LocationOf(address), response)
            : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<SuppressionResponse>, ProblemHttpResult>> GetAsync(
        string? address, HttpContext http, ISuppressionStore store, CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return BadRequest("address", NoAddress);
        }

        if (!AddressNormalizer.TryNormalize(address, out var normalized, out var error))
        {
            return BadRequest("address", error);
        }

        // For a tenant key, another tenant's entries are not there: the same 404 as no entry at all.
        var entries = TenantView.Of(http).Visible((await store.GetEntriesAsync([normalized], cancellationToken))[0]);
        return entries.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No suppression applies to this address.")
            : TypedResults.Ok(ToResponse(normalized, entries));
    }

    // DELETE /suppressions?address=...&scope=... or with { "address", "evidence" }: one address, in one place.
    private static Task<Results<Ok<RemovalResponse>, ProblemHttpResult>> RemoveByQueryOrBodyAsync(
        string? address, string? scope, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RemoveSuppressionRequest? request, HttpContext http, ISuppressionStore store,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (address is not null && request?.Address is not null && request.Address != address)
        {
            return Task.FromResult<Results<Ok<RemovalResponse>, ProblemHttpResult>>(
                BadRequest("address", "The address is given twice, differently: in the query and in the body."));
        }

        return RemoveAsync(address ?? request?.Address, scope, request, http, store, time, loggers, cancellationToken);
    }

    private static async Task<Results<Ok<RemovalResponse>, ProblemHttpResult>> RemoveAsync(
        string? address, string? scope, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RemoveSuppressionRequest? request, HttpContext http, ISuppressionStore store,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return BadRequest("address", NoAddress);
        }

        if (!AddressNormalizer.TryNormalize(address, out var normalized, out var error))
        {
            return BadRequest("address", error);
        }

        SuppressionScope? only = null;
        if (scope is not null)
        {
            if (!SuppressionScope.TryParse(scope, out var parsed))
            {
                return BadRequest("scope", "Use global, tenant:<id> or topic:<tenant>/<topic>.");
            }

            only = parsed;
        }

        var view = TenantView.Of(http);
        if (only is { } named && !view.MayChange(named))
        {
            return view.OutsideScope(named);
        }

        // Re-consent is the one way out of the list, so it must say why (docs/design.md, consent model).
        if (string.IsNullOrWhiteSpace(request?.Evidence))
        {
            return BadRequest("evidence", "Removing a suppression needs { \"evidence\": \"...\" } describing the person's renewed consent.");
        }

        var removed = 0;
        foreach (var removing in await ScopesToRemoveAsync(normalized, only, view, store, cancellationToken))
        {
            removed += await store.RemoveAsync(
                normalized,
                removing,
                ApiAudit.Record(http, time.GetUtcNow(), AuditEventType.Resubscribed) with { Scope = removing, Source = SuppressionSource.Api, Evidence = request.Evidence },
                cancellationToken);
        }

        if (removed == 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not Found",
                detail: view.Tenant is null || only is not null
                    ? "No suppression of that scope applies to this address."
                    : $"No suppression of tenant:{view.Tenant} or its topics applies to this address.");
        }

        // The evidence is free text and may well name the person; the audit record keeps it whole, the log does not.
        loggers.CreateLogger(typeof(SuppressionsApi)).SuppressionRemovedByApi(removed, only?.ToString() ?? "all", AddressRedaction.Redact(request.Evidence));
        return TypedResults.Ok(new RemovalResponse(normalized.Value, removed));
    }

    // One scope, or every scope (null) for an admin; a tenant key without a scope removes its own
    // entries one scope at a time, never the store's "every scope", which would take global and
    // other tenants' entries with them.
    private static async Task<IReadOnlyList<SuppressionScope?>> ScopesToRemoveAsync(
        NormalizedAddress address, SuppressionScope? only, TenantView view, ISuppressionStore store, CancellationToken cancellationToken)
    {
        if (only is not null || view.Tenant is null)
        {
            return [only];
        }

        var entries = (await store.GetEntriesAsync([address], cancellationToken))[0];
        return entries.Where(entry => view.MayChange(entry.Scope)).Select(entry => (SuppressionScope?)entry.Scope).Distinct().ToList();
    }

    private static SuppressionResponse ToResponse(NormalizedAddress address, IReadOnlyList<SuppressionEntry> entries) =>
        new(address.Value, entries.Select(entry => new SuppressionEntryResponse(
            entry.Scope.ToString(), entry.Reason.Name(), entry.Source.Name(), entry.CreatedAt)).ToList());

    private static ProblemHttpResult BadRequest(string field, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {field}", detail: detail);
}
