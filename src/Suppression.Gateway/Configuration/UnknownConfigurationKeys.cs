using System.Collections;
using System.Reflection;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// Keys under <c>Suppression</c> that no options type has: a misspelt key silently keeping its
/// default is how an open relay happens. Several projects' options share the section, so no single
/// bind can say which keys are unknown; this walks the keys against all of their shapes at once.
/// </summary>
public static class UnknownConfigurationKeys
{
    // Array entries are shown as N, entries of an array inside one as M: the line names the key, not
    // the entry (Suppression:Tenants:N:SmtpUsers:M:Pasword).
    private static readonly string[] EntryNames = ["N", "M", "K"];

    /// <returns>One line per unknown key, <c>&lt;key&gt;: unknown configuration key (misspelt?)</c>.</returns>
    public static List<string> Find(IConfigurationSection section, params Type[] shapes)
    {
        ArgumentNullException.ThrowIfNull(section);
        var unknown = new List<string>();
        Walk(section, shapes, section.Path, depth: 0, unknown);
        return unknown;
    }

    private static void Walk(IConfigurationSection section, IReadOnlyList<Type> shapes, string shownPath, int depth, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            var childPath = shownPath + ":" + child.Key;
            var properties = shapes.Select(shape => Property(shape, child.Key)).OfType<PropertyInfo>().ToList();
            if (properties.Count == 0)
            {
                unknown.Add(childPath + ": unknown configuration key (misspelt?)");
                continue;
            }

            foreach (var type in properties.Select(property => property.PropertyType))
            {
                if (ElementType(type) is { } element)
                {
                    if (IsSection(element))
                    {
                        var entryPath = childPath + ":" + EntryNames[Math.Min(depth, EntryNames.Length - 1)];
                        foreach (var entry in child.GetChildren())
                        {
                            Walk(entry, [element], entryPath, depth + 1, unknown);
                        }
                    }
                }
                else if (IsSection(type))
                {
                    Walk(child, [type], childPath, depth, unknown);
                }
            }
        }
    }

    // As the configuration binder matches: a public settable property, its name in any case.
    private static PropertyInfo? Property(Type shape, string key) =>
        shape.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(property => property.SetMethod?.IsPublic == true && string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()

        // A dictionary's keys are data (a topic's Name:de), not settings: as for Dictionary<string, T>, the key's type.
        : typeof(IDictionary).IsAssignableFrom(type) ? typeof(string)
        : type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0]
        : null;

    // A class of its own keys, as opposed to a value written as one string (text, numbers, enums, times).
    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type != typeof(Uri);
}
