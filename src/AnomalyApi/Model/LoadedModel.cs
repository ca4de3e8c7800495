using System.Collections.Frozen;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Observability;

namespace AnomalyApi.Model;

/// <summary>
/// One validated, warmed-up model and everything derived from it (the feature index, the API's metric series),
/// immutable, so a request that started on it can finish on it while a newer one is being served. Reference
/// counted: the provider holds one reference while it is current, each <see cref="ModelLease"/> one more; the
/// scorer (and its ONNX session) is disposed when the last is released, never under a running request.
/// </summary>
public sealed class LoadedModel
{
    // Starts at 1: the provider's own reference, released when the model is replaced or the provider disposed.
    private int _references = 1;

    public LoadedModel(AnomalyScorer scorer, ModelSnapshot snapshot)
    {
        Scorer = scorer;
        ConfigSha256 = snapshot.ConfigSha256;
        FeatureIndex = scorer.Config.Features
            .Select((name, index) => KeyValuePair.Create(name, index))
            .ToFrozenDictionary(StringComparer.Ordinal);
        ApiMetrics = new ScoringMetrics(scorer.Config.ModelName, scorer.Config.Features, AnomalyMetrics.ApiSource);
    }

    public AnomalyScorer Scorer { get; }

    /// <summary>Feature name → position in the model's order.</summary>
    public FrozenDictionary<string, int> FeatureIndex { get; }

    /// <summary>sha256 of the ONNX file's bytes this model was loaded from (what /model and anomaly_model_info show).</summary>
    public string Sha256 => Scorer.Info.Sha256;

    /// <summary>sha256 of the model_config.json bytes it was loaded from: with <see cref="Sha256"/>, tells "unchanged" apart.</summary>
    public string ConfigSha256 { get; }

    /// <summary>The /predict endpoints' metric series for this model (source="api").</summary>
    public ScoringMetrics ApiMetrics { get; }

    /// <summary>True once the last reference is gone and the scorer disposed.</summary>
    public bool IsReleased => Volatile.Read(ref _references) == 0;

    /// <summary>
    /// Takes one more reference, unless the count has already reached zero: then the scorer is (being) disposed and
    /// the caller must look for the newer model. Compare-and-swap, not a bare increment, so a count that reached zero
    /// is never brought back to life.
    /// </summary>
    internal bool TryAddReference()
    {
        var count = Volatile.Read(ref _references);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, count + 1, count);
            if (seen == count)
            {
                return true;
            }
            count = seen;
        }
        return false;
    }

    /// <summary>Drops one reference; the last one disposes the scorer. Returns true when that happened.</summary>
    internal bool Release()
    {
        var remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            Scorer.Dispose();
            return true;
        }
        if (remaining < 0)
        {
            throw new InvalidOperationException("A model reference was released twice.");
        }
        return false;
    }
}
