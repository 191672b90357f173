using System.Collections;
using System.Reflection;

namespace SkateBot.Testing.Fuzzing;

/// <summary>
/// After a parser accepts a payload, the records it returns must keep their own promises: no property declared
/// non-nullable holds null (code reading <c>message.Author.Id</c> trusts that). Walks the records of one namespace.
/// </summary>
public static class NullabilityCheck
{
    private static readonly NullabilityInfoContext Context = new();

    /// <summary>The path of the first non-nullable property holding null, or null when there is none.</summary>
    public static string? FirstViolation(object root, string modelNamespace)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return Walk(root, root.GetType().Name, modelNamespace, seen, 0);
    }

    private static string? Walk(object value, string path, string ns, HashSet<object> seen, int depth)
    {
        if (depth > 64 || !seen.Add(value)) return null;
        var type = value.GetType();
        if (value is IEnumerable items and not string)
        {
            var i = 0;
            foreach (var item in items)
                if (item is not null && Walk(item, $"{path}[{i++}]", ns, seen, depth + 1) is { } found) return found;
            return null;
        }
        if (type.Namespace != ns) return null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType.IsValueType)
                continue;
            var current = property.GetValue(value);
            if (current is null)
            {
                if (Context.Create(property).ReadState == NullabilityState.NotNull)
                    return $"{path}.{property.Name}";
                continue;
            }
            if (Walk(current, $"{path}.{property.Name}", ns, seen, depth + 1) is { } found) return found;
        }
        return null;
    }
}
