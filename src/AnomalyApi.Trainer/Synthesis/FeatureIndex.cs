namespace AnomalyApi.Trainer.Synthesis;

internal static class FeatureIndex
{
    /// <summary>
    /// Position of <paramref name="name"/> in a list from <c>NodeFeatureNames</c>. Looked up rather than
    /// hard-coded so the simulator follows the model card's order if it ever changes.
    /// </summary>
    public static int Of(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"NodeFeatureNames has no '{name}'.");
    }
}
