namespace AnomalyApi.Core.Scoring;

/// <summary>One feature's contribution to a row's score: its squared reconstruction error.</summary>
/// <param name="Index">Position of the feature in the model's order.</param>
/// <param name="Name">The feature's name.</param>
/// <param name="Error">(x_norm - reconstruction)^2 for this feature.</param>
public readonly record struct FeatureError(int Index, string Name, float Error);
