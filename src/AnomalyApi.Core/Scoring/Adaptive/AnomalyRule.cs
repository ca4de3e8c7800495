namespace AnomalyApi.Core.Scoring.Adaptive;

/// <summary>Which threshold labels a score as an anomaly.</summary>
public enum AnomalyRule
{
    /// <summary>Above the model's static threshold (the adaptive one is still tracked and reported).</summary>
    Static,

    /// <summary>Above the adaptive threshold, once it is trusted; above the static one until then.</summary>
    Adaptive,

    /// <summary>Above either threshold.</summary>
    Either,
}
