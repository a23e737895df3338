namespace Suppression.Gateway.Unsubscribe;

/// <summary>One visible list on the preference page: its state, and whether the link came from its mail.</summary>
public sealed record TopicChoice(CatalogueTopic Topic, TopicState State, bool IsMessageTopic);
