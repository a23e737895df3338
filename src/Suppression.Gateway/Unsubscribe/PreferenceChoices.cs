namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// What the preference form asks for: the lists it showed, those left ticked, and whether all of the
/// sender's mail should stop. An unticked box is not sent at all, so only the lists the form says it
/// showed are read as unticked.
/// </summary>
public sealed record PreferenceChoices(IReadOnlySet<string> Shown, IReadOnlySet<string> Ticked, bool StopAll)
{
    /// <returns>Null when the request is not the form's (no form content, or not its marker): it changes nothing.</returns>
    public static async Task<PreferenceChoices?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form[PreferenceForm.FormField] != PreferenceForm.FormValue)
            {
                return null;
            }

            return new PreferenceChoices(
                form[PreferenceForm.ShownField].OfType<string>().ToHashSet(StringComparer.Ordinal),
                form[PreferenceForm.TopicField].OfType<string>().ToHashSet(StringComparer.Ordinal),
                form[PreferenceForm.AllField] == PreferenceForm.AllValue);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }
}
