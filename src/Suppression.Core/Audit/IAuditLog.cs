namespace Suppression.Audit;

/// <summary>
/// The consent audit trail. Append only: nothing in the gateway edits or removes a record.
/// Implementations keep the record durable before returning.
/// </summary>
public interface IAuditLog
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken);
}
