namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Keras' EarlyStopping(monitor = val_loss, restore_best_weights = true): a loss improves on the best only when
/// it is lower by more than the minimum delta; after <c>patience</c> epochs in a row without one, stop.
/// </summary>
internal sealed class EarlyStopping(int patience, double minDelta)
{
    private int _epochsWithoutImprovement;

    /// <summary>The lowest loss seen that counted as an improvement.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The epoch of <see cref="BestLoss"/>, counted from 1; 0 before the first epoch.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Whether patience has run out.</summary>
    public bool ShouldStop => _epochsWithoutImprovement >= patience;

    /// <summary>Records an epoch's loss and says whether it is the new best.</summary>
    public bool Observe(int epoch, double loss)
    {
        if (loss < BestLoss - minDelta)
        {
            BestLoss = loss;
            BestEpoch = epoch;
            _epochsWithoutImprovement = 0;
            return true;
        }

        _epochsWithoutImprovement++;
        return false;
    }
}
