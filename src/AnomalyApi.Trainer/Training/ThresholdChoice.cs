namespace AnomalyApi.Trainer.Training;

/// <summary>The threshold <see cref="ThresholdSelector.Select(ReadOnlySpan{double}, ThresholdMethod)"/> chose and why.</summary>
/// <param name="Method">The method asked for.</param>
/// <param name="Applied">The rule that produced <paramref name="Value"/>: equal to <paramref name="Method"/>
/// except for <see cref="ThresholdMethod.Auto"/>, which resolves to Mean3Sd or P99.</param>
/// <param name="Value">The threshold: a row is anomalous when its rmse is greater.</param>
/// <param name="Normality">For Auto, the normality test behind the decision; null for the other methods, and for
/// Auto when the sample is too small or constant to test (then P99 applies).</param>
public sealed record ThresholdChoice(ThresholdMethod Method, ThresholdMethod Applied, double Value, NormalityTestResult? Normality);
