using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Unsubscribe;

/// <summary>One unsubscribe that a confirmation page may undo: the scope its request added, and where that request's record is.</summary>
public sealed record UndoableChange(SuppressionScope Scope, AuditPosition Record);
