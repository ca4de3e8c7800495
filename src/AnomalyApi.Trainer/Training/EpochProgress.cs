namespace AnomalyApi.Trainer.Training;

/// <summary>What <see cref="AutoencoderTrainer.Train"/> reports after each epoch.</summary>
/// <param name="Epoch">The epoch just finished, counted from 1.</param>
/// <param name="TotalEpochs">The configured maximum number of epochs (training may stop earlier).</param>
/// <param name="TrainLoss">Mean squared reconstruction error over the epoch's batches, weighted by batch size.</param>
/// <param name="ValidationLoss">Mean squared reconstruction error of the held-out rows after the epoch.</param>
public sealed record EpochProgress(int Epoch, int TotalEpochs, float TrainLoss, float ValidationLoss)
{
    /// <summary>Which of the <see cref="Restarts"/> initialisations is training, counted from 1.</summary>
    public int Restart { get; init; } = 1;

    /// <summary>How many initialisations are tried (<see cref="TrainingOptions.Restarts"/>).</summary>
    public int Restarts { get; init; } = 1;
}
