namespace AnomalyApi.Trainer.Training;

/// <summary>The outcome of <see cref="AutoencoderTrainer.Train"/>.</summary>
/// <param name="Layers">The weights of the best epoch (lowest validation loss), ready for export.</param>
/// <param name="TrainLosses">Training loss of every epoch run, in order.</param>
/// <param name="ValidationLosses">Validation loss of every epoch run, in order.</param>
/// <param name="BestEpoch">The epoch whose weights were kept, counted from 1.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the configured number of epochs.</param>
public sealed record TrainingResult(
    IReadOnlyList<DenseLayer> Layers,
    IReadOnlyList<float> TrainLosses,
    IReadOnlyList<float> ValidationLosses,
    int BestEpoch,
    bool StoppedEarly)
{
    /// <summary>The restart (initialisation, counted from 1) whose weights these are.</summary>
    public int Restart { get; init; } = 1;

    /// <summary>The lowest validation loss each restart reached, in order; the kept one is the minimum.</summary>
    public IReadOnlyList<float> RestartValidationLosses { get; init; } = [];

    /// <summary>Number of epochs actually run.</summary>
    public int EpochsRun => TrainLosses.Count;

    /// <summary>The validation loss of <see cref="BestEpoch"/>.</summary>
    public float BestValidationLoss => ValidationLosses[BestEpoch - 1];

    /// <summary>A network over <see cref="Layers"/>, to score rows with the trained weights.</summary>
    public AutoencoderNetwork CreateNetwork() => new(Layers);
}
