namespace Suppression.Configuration;

/// <summary>
/// What is wrong with a configuration, one line per problem in the form <c>&lt;key&gt;: &lt;why&gt;</c>,
/// so the host can print each as <c>configuration error: &lt;key&gt;: &lt;why&gt;</c> and stop before
/// anything listens. Every project's options validation writes here.
/// </summary>
public sealed class ConfigurationProblems
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Check(bool valid, string key, string problem)
    {
        if (!valid)
        {
            Add(key, problem);
        }
    }

    public void Add(string key, string problem) => _lines.Add($"{key}: {problem}");

    /// <summary>A line that names its key itself (<c>Suppression:Tokens:Keys:0 ...</c>).</summary>
    public void AddLine(string line) => _lines.Add(line);
}
