using System.Globalization;
using System.Net;
using System.Text;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// The choices part of the page at /u/{token}: every visible list of the sender with this mailbox's
/// state, the list the message came from marked, "all mail from the sender", the privacy notice.
/// A plain form (fieldsets with legends, a label on every box, no script) that posts to
/// {token}/preferences. The lists shown travel with it, so a list added to the catalogue after the
/// page was loaded is not read as unticked.
/// </summary>
public static class PreferenceForm
{
    public const string FormField = "form";
    public const string FormValue = "preferences";
    public const string TopicField = "topic";
    public const string ShownField = "shown";
    public const string AllField = "all";
    public const string AllValue = "stop";

    public static string Html(string token, Sender sender, MailboxPreferences? preferences, RecipientPageText text)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(text);
        var name = sender.NameIn(text);
        var html = new StringBuilder();
        if (preferences is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(text.ChoicesUnavailable)}</p>");
        }
        else if (!preferences.MayOptBackIn)
        {
            // Nothing to choose: every list is stopped by something this page cannot reverse.
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"locked\">{Encode(text.Format(LockSentence(preferences.Lock, text), name))}</p>");
        }
        else
        {
            AppendForm(html, token, name, preferences, text);
        }

        if (sender.PrivacyUrl is { } privacy)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(privacy.AbsoluteUri)}\">{Encode(text.Format(text.PrivacyLink, name))}</a></p>");
        }

        return html.ToString();
    }

    private static void AppendForm(StringBuilder html, string token, string name, MailboxPreferences preferences, RecipientPageText text)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(text.Format(text.ChoicesHeading, name))}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{token}/preferences?{RecipientLanguage.QueryParameter}={text.Language}\"><input type=\"hidden\" name=\"{FormField}\" value=\"{FormValue}\">");
        if (preferences.Topics.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<fieldset><legend>{Encode(text.Format(text.TopicsLegend, name))}</legend>");
            for (var i = 0; i < preferences.Topics.Count; i++)
            {
                AppendTopic(html, "topic-" + i.ToString(CultureInfo.InvariantCulture), preferences.Topics[i], name, text);
            }

            html.Append("</fieldset>");
        }

        var stopsAll = preferences.SenderWide is not null ? " checked" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<fieldset><legend>{Encode(text.Format(text.AllLegend, name))}</legend><div class=\"choice\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"stop-all\" name=\"{AllField}\" value=\"{AllValue}\"{stopsAll} aria-describedby=\"stop-all-about\">")
            .Append(CultureInfo.InvariantCulture, $"<label for=\"stop-all\">{Encode(text.Format(text.AllLabel, name))}</label>")
            .Append(CultureInfo.InvariantCulture, $"<p id=\"stop-all-about\" class=\"about\">{Encode(text.AllHint)}</p></div></fieldset>")
            .Append(CultureInfo.InvariantCulture, $"<button type=\"submit\">{Encode(text.SaveButton)}</button></form>");
    }

    private static void AppendTopic(StringBuilder html, string id, TopicChoice choice, string sender, RecipientPageText text)
    {
        var topic = choice.Topic;
        var label = Encode(topic.Name?.For(text.Culture) ?? topic.Id);
        var mark = choice.IsMessageTopic ? $" <strong class=\"mark\">({Encode(text.MessageTopicMark)})</strong>" : string.Empty;
        var about = string.Join(' ', new[]
        {
            topic.Description?.For(text.Culture),
            choice.State switch
            {
                TopicState.Stopped => text.Format(text.TopicStopped, sender),
                TopicState.AlwaysSent => text.TopicAlwaysSent,
                _ => null,
            },
        }.OfType<string>());
        var describedBy = about.Length > 0 ? $" aria-describedby=\"{id}-about\"" : string.Empty;
        html.Append("<div class=\"choice\">");
        switch (choice.State)
        {
            case TopicState.Subscribed or TopicState.OptedOut:
                var ticked = choice.State == TopicState.Subscribed ? " checked" : string.Empty;
                html.Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"{id}\" name=\"{TopicField}\" value=\"{Encode(topic.Id)}\"{ticked}{describedBy}>")
                    .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{ShownField}\" value=\"{Encode(topic.Id)}\">");
                break;
            case TopicState.Stopped:
                html.Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"{id}\" disabled{describedBy}>");
                break;
            default:
                html.Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"{id}\" checked disabled{describedBy}>");
                break;
        }

        html.Append(CultureInfo.InvariantCulture, $"<label for=\"{id}\">{label}{mark}</label>");
        if (about.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"{id}-about\" class=\"about\">{Encode(about)}</p>");
        }

        html.Append("</div>");
    }

    public static string LockSentence(PreferenceLock locked, RecipientPageText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return locked switch
        {
            PreferenceLock.Bounced => text.LockedBounced,
            PreferenceLock.Complaint => text.LockedComplaint,
            PreferenceLock.Erased => text.LockedErased,
            PreferenceLock.EverySender => text.LockedEverySender,
            _ => text.LockedStopped,
        };
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
