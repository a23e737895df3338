using System.Globalization;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Every sentence the preference page and its outcome pages show, in one place and one language, so
/// that a translation (a resource file per language, keyed by these property names) replaces this
/// and nothing in the markup. Texts with {0}, {1} are composite formats: the sender's name, a topic's.
/// Values passed in are HTML-encoded by the page, never these texts' callers.
/// </summary>
public sealed record PreferencePageText
{
    public static PreferencePageText English { get; } = new();

    /// <summary>The page's <c>lang</c> attribute.</summary>
    public string Language { get; init; } = "en";

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

    public string UnnamedSender { get; init; } = "the sender of this message";

    public string PageTitle { get; init; } = "Unsubscribe";

    /// <summary>{0}: what stops (<see cref="TopicOfSender"/>...), {1}: the masked address.</summary>
    public string StopQuestion { get; init; } = "Stop sending {0} to {1}?";

    public string UnsubscribeButton { get; init; } = "Unsubscribe";

    public string TopicOfSender { get; init; } = "the {0} list of {1}";

    public string HiddenTopicOfSender { get; init; } = "this list of {0}";

    public string MailFromSender { get; init; } = "mail from {0}";

    public string MarketingMailFromSender { get; init; } = "marketing mail from {0}";

    public string ChoicesHeading { get; init; } = "Or choose what {0} sends you";

    public string TopicsLegend { get; init; } = "Lists from {0} you receive";

    public string MessageTopicMark { get; init; } = "the list this message came from";

    public string TopicStopped { get; init; } = "Turned off by {0}, not by you: this page cannot turn it back on.";

    public string TopicAlwaysSent { get; init; } = "Always sent: this is not marketing mail, so unsubscribing does not stop it.";

    public string AllLegend { get; init; } = "All mail from {0}";

    public string AllLabel { get; init; } = "Unsubscribe from all mail from {0}";

    public string AllHint { get; init; } = "While this is ticked, none of the lists above is sent.";

    public string SaveButton { get; init; } = "Save my choices";

    public string PrivacyLink { get; init; } = "How {0} handles your personal data (privacy notice)";

    public string ChoicesUnavailable { get; init; } =
        "Your current choices cannot be shown just now. Reload this page in a few seconds to see and change them.";

    public string LockedBounced { get; init; } =
        "Mail to this address could not be delivered (the mailbox was reported as not existing), so {0} no longer sends to it. "
        + "This page cannot turn that back on. If the address works again, ask {0} to add it back.";

    public string LockedComplaint { get; init; } =
        "Mail from {0} to this address was reported as spam, so {0} no longer sends its marketing mail here. "
        + "This page cannot turn that back on. If you want it again, ask {0}.";

    public string LockedErased { get; init; } =
        "This address was erased from {0}'s records at someone's request, so nothing is sent to it. This page cannot turn that back on.";

    public string LockedEverySender { get; init; } =
        "This address is unsubscribed from the marketing mail of every sender here, not only {0}. "
        + "This page cannot turn that back on for {0} alone; the link in the message you unsubscribed with offers an undo for a short while.";

    public string LockedStopped { get; init; } =
        "Mail to this address was stopped by {0} or on its behalf, not on this page. This page cannot turn it back on; if you want it again, ask {0}.";

    public string SavedTitle { get; init; } = "Your choices are saved";

    public string NowStopped { get; init; } = "{0} will no longer receive: {1}.";

    public string NowReceivingAgain { get; init; } = "{0} will receive again: {1}.";

    public string NothingChanged { get; init; } = "Nothing needed to change: these were already your choices.";

    public string NotChangedHere { get; init; } = "Not changed, because this page cannot turn it back on: {0}.";

    public string TakesEffect { get; init; } = "This takes effect for the very next message.";

    public string ReviewLink { get; init; } = "See or change your choices";

    public string AllMailFromSender { get; init; } = "all mail from {0}";

    public string ListSeparator { get; init; } = ", ";

    public string NoChoicesTitle { get; init; } = "This link has no choices to make";

    public string NoChoices { get; init; } =
        "This link is not for one sender's lists, so there is nothing to choose here. Use the Unsubscribe button on the page the link opens. Nothing was changed.";

    public string NotUnderstoodTitle { get; init; } = "Request not understood";

    public string NotUnderstood { get; init; } =
        "This request did not come from the form of choices. Open the link from the message and press the button to save them. Nothing was changed.";

    public string UnavailableTitle { get; init; } = "Please try again in a moment";

    public string Unavailable { get; init; } =
        "We could not save all of your choices just now. Please press the button again in a few seconds: what was saved already stays as it is.";

    public string Format(string format, params object[] values) => string.Format(CultureInfo.InvariantCulture, format, values);
}
