using System.Collections.Frozen;
using FluentValidation;
using FluentValidation.Results;
using AnomalyApi.Contracts.Json;

namespace AnomalyApi.Validation;

/// <summary>
/// The rules every row obeys, in either form, against the loaded model's feature list. Failures are keyed by the
/// row's JSON path (features, values.cpu_0_idle, instances[2], instances[2].cpu_0_idle).
/// </summary>
internal static class FeatureRules
{
    /// <summary>How many mismatched positions of featureNames are named one by one.</summary>
    private const int MaxNamedPositions = 5;

    /// <returns>Whether the row is valid.</returns>
    public static bool CheckOrdered<T>(ValidationContext<T> context, string field, IReadOnlyCollection<float> values, IReadOnlyList<string> features)
    {
        if (values.Count == features.Count)
        {
            return true;
        }
        context.AddFailure(new ValidationFailure(field,
            $"has {values.Count} values, but the model reads {features.Count} ({Preview(features)})"));
        return false;
    }

    /// <returns>Whether the row is valid.</returns>
    public static bool CheckNamed<T>(ValidationContext<T> context, string field, IEnumerable<KeyValuePair<string, float>> values,
        IReadOnlyList<string> features, FrozenDictionary<string, int> featureIndex)
    {
        var valid = true;
        var seen = new bool[features.Count];
        foreach (var (name, _) in values)
        {
            if (!featureIndex.TryGetValue(name, out var index))
            {
                context.AddFailure(new ValidationFailure(JsonPaths.Combine(field, name), "is not a feature of the model"));
                valid = false;
            }
            else if (seen[index])
            {
                context.AddFailure(new ValidationFailure(JsonPaths.Combine(field, name), "appears more than once"));
                valid = false;
            }
            else
            {
                seen[index] = true;
            }
        }
        for (var i = 0; i < features.Count; i++)
        {
            if (!seen[i])
            {
                context.AddFailure(new ValidationFailure(JsonPaths.Combine(field, features[i]),
                    "is missing; every feature of the model is required exactly once"));
                valid = false;
            }
        }
        return valid;
    }

    /// <summary>featureNames must be the model's feature list, in its order; the first differences are named.</summary>
    public static void CheckFeatureNames<T>(ValidationContext<T> context, string field, IReadOnlyList<string> names, IReadOnlyList<string> features)
    {
        if (names.Count != features.Count)
        {
            context.AddFailure(new ValidationFailure(field,
                $"has {names.Count} names, but the model reads {features.Count} features ({Preview(features)})"));
            return;
        }
        var mismatches = Enumerable.Range(0, names.Count)
            .Where(i => !string.Equals(names[i], features[i], StringComparison.Ordinal))
            .ToList();
        if (mismatches.Count == 0)
        {
            return;
        }
        context.AddFailure(new ValidationFailure(field,
            $"differs from the model's feature order at {mismatches.Count} position(s), first at " +
            $"{string.Join(", ", mismatches.Take(MaxNamedPositions))}; send the values in the model's order (GET /model)"));
        foreach (var i in mismatches.Take(MaxNamedPositions))
        {
            context.AddFailure(new ValidationFailure($"{field}[{i}]", $"is '{names[i]}', but the model's feature {i} is '{features[i]}'"));
        }
    }

    private static string Preview(IReadOnlyList<string> features) =>
        features.Count <= 3 ? string.Join(", ", features) : $"{features[0]}, {features[1]}, …, {features[^1]}";
}
