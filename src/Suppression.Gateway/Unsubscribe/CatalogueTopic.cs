using Suppression.Suppressions;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>One list of a sender as the preference page shows it (<c>Suppression:Tenants:N:Topics:M</c>).</summary>
/// <param name="Class">Its mail's class when the message does not say: a transactional list is no opt-out choice.</param>
/// <param name="Visible">Whether the page may name it at all.</param>
public sealed record CatalogueTopic(string Id, LocalizedText? Name, LocalizedText? Description, MessageClass Class, bool Visible);
