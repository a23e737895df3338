using System.Globalization;
using System.Net;
using Suppression.Suppressions;
using Suppression.Telemetry;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// POST /u/{token}/preferences: applies the whole form of choices at once, one audited change
/// (source <c>preferences</c>) per list that changes. Like the page's other buttons it is protected
/// by the link itself (a sealed, unguessable token in the path; the page's CSP allows forms to post
/// only to itself) and by the per-link and per-recipient limits of the /u/ group. Opting back in
/// removes only the recipient's own opt-outs (UnsubscribeActions.OptBackInAsync).
/// </summary>
public static class PreferencesEndpoint
{
    public static Task<UnsubscribePage> SaveAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, SenderCatalogue senders, ISuppressionStore store, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(store);
        var now = time.GetUtcNow();
        var text = RecipientPageText.Current;
        return UnsubscribeApi.PageAction.RunAsync(UnsubscribeTelemetry.Preferences, SuppressionSource.Preferences.Name(), token, codec, now, async (decoded, action) =>
        {
            var sender = senders.For(decoded.Tenant);
            if (!sender.HasPreferences)
            {
                action.Outcome = UnsubscribeTelemetry.NotUnderstood;
                return Page(StatusCodes.Status400BadRequest, text.NoChoicesTitle, Paragraph(text.NoChoices));
            }

            if (await PreferenceChoices.ReadAsync(context.Request, cancellationToken) is not { } choices)
            {
                action.Outcome = UnsubscribeTelemetry.NotUnderstood;
                return Page(StatusCodes.Status400BadRequest, text.NotUnderstoodTitle, Paragraph(text.NotUnderstood));
            }

            var unavailable = UnsubscribePage.Of(StatusCodes.Status503ServiceUnavailable, text.UnavailableTitle, Paragraph(text.Unavailable), TimeSpan.FromSeconds(5));
            return await UnsubscribeApi.WriteAsync(loggers, async () =>
            {
                // The state the choices are compared with is read now, in one round trip, not taken from the form.
                var preferences = MailboxPreferences.Of(decoded, sender, (await store.GetEntriesAsync([decoded.Recipient], cancellationToken))[0]);
                var changes = await ApplyAsync(decoded, sender, preferences, choices, actions, UnsubscribeApi.OriginOf(context), now, text, cancellationToken);
                action.Outcome = changes.Count > 0 ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
                return (Saved(token, decoded, sender, changes, text),
                    string.Create(CultureInfo.InvariantCulture, $"preferences saved: {changes.Stopped.Count} stopped, {changes.Resumed.Count} resumed, {changes.NotChanged.Count} not the recipient's to change"));
            }, unavailable);
        });
    }

    private static async Task<PreferenceChanges> ApplyAsync(
        UnsubscribeToken token, Sender sender, MailboxPreferences preferences, PreferenceChoices choices, UnsubscribeActions actions, RequestOrigin origin, DateTimeOffset now,
        RecipientPageText text, CancellationToken cancellationToken)
    {
        var (stopped, resumed, notChanged) = (new List<string>(), new List<string>(), new List<string>());
        var everything = text.Format(text.AllMailFromSender, sender.NameIn(text));
        if (choices.StopAll && preferences.SenderWide is null && SuppressionScope.TryForTenant(token.Tenant, out var senderScope))
        {
            AddIf(await actions.OptOutAsync(token, senderScope, origin, now, cancellationToken), stopped, everything);
        }
        else if (!choices.StopAll && preferences.SenderWide is { } senderWide)
        {
            await OptBackInAsync(token, senderWide, preferences, actions, origin, now, everything, resumed, notChanged, cancellationToken);
        }

        foreach (var choice in preferences.Topics.Where(choice => choices.Shown.Contains(choice.Topic.Id)))
        {
            var wanted = choices.Ticked.Contains(choice.Topic.Id);
            var name = choice.Topic.Name?.For(text.Culture) ?? choice.Topic.Id;
            if (!SuppressionScope.TryForTopic(token.Tenant, choice.Topic.Id, out var scope))
            {
                continue;
            }

            if (choice.State == TopicState.Subscribed && !wanted)
            {
                AddIf(await actions.OptOutAsync(token, scope, origin, now, cancellationToken), stopped, name);
            }
            else if (choice.State == TopicState.OptedOut && wanted && preferences.EntryOf(scope) is { } entry)
            {
                await OptBackInAsync(token, entry, preferences, actions, origin, now, name, resumed, notChanged, cancellationToken);
            }
        }

        return new PreferenceChanges(stopped, resumed, notChanged);
    }

    // Only the recipient's own opt-out, and only while nothing they cannot reverse stops the sender's mail anyway.
    private static async Task OptBackInAsync(
        UnsubscribeToken token, SuppressionEntry entry, MailboxPreferences preferences, UnsubscribeActions actions, RequestOrigin origin, DateTimeOffset now, string name,
        List<string> resumed, List<string> notChanged, CancellationToken cancellationToken)
    {
        if (!preferences.MayOptBackIn || !UnsubscribeActions.IsRecipientsOwn(entry))
        {
            notChanged.Add(name);
            return;
        }

        AddIf(await actions.OptBackInAsync(token, entry, origin, now, cancellationToken), resumed, name);
    }

    private static void AddIf(bool changed, List<string> names, string name)
    {
        if (changed)
        {
            names.Add(name);
        }
    }

    // The page after saving: what changed, and the way back to the choices (../{token} from /u/{token}/preferences).
    private static UnsubscribePage Saved(string token, UnsubscribeToken decoded, Sender sender, PreferenceChanges changes, RecipientPageText text)
    {
        var mask = UnsubscribePage.Mask(decoded);
        var html = string.Empty;
        if (changes.Stopped.Count > 0)
        {
            html += Paragraph(text.Format(text.NowStopped, mask, string.Join(text.ListSeparator, changes.Stopped)));
        }

        if (changes.Resumed.Count > 0)
        {
            html += Paragraph(text.Format(text.NowReceivingAgain, mask, string.Join(text.ListSeparator, changes.Resumed)));
        }

        if (changes.NotChanged.Count > 0)
        {
            html += Paragraph(text.Format(text.NotChangedHere, string.Join(text.ListSeparator, changes.NotChanged)));
        }

        html += changes.Count > 0 ? Paragraph(text.TakesEffect) : changes.NotChanged.Count == 0 ? Paragraph(text.NothingChanged) : string.Empty;
        html += $"<p><a href=\"../{token}\">{WebUtility.HtmlEncode(text.ReviewLink)}</a></p>";
        if (sender.PrivacyUrl is { } privacy)
        {
            html += $"<p><a href=\"{WebUtility.HtmlEncode(privacy.AbsoluteUri)}\">{WebUtility.HtmlEncode(text.Format(text.PrivacyLink, sender.NameIn(text)))}</a></p>";
        }

        return UnsubscribePage.Of(StatusCodes.Status200OK, text.SavedTitle, html, brand: sender);
    }

    private static UnsubscribePage Page(int status, string title, string html) => UnsubscribePage.Of(status, title, html);

    private static string Paragraph(string text) => "<p>" + WebUtility.HtmlEncode(text) + "</p>";
}
