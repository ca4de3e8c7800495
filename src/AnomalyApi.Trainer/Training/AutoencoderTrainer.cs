namespace AnomalyApi.Trainer.Training;

/// <summary>
/// Trains the autoencoder on min-max normalized rows: mini-batch Adam on the mean squared reconstruction error,
/// a seeded train/validation split, and early stopping on the validation loss that keeps the best epoch.
/// </summary>
public static class AutoencoderTrainer
{
    /// <summary>Trains a new autoencoder of <see cref="AutoencoderArchitecture"/>'s shape.</summary>
    /// <param name="data">Normalized rows, row-major [rows, features]; at least two rows, all values finite.</param>
    /// <param name="features">Number of features per row.</param>
    /// <param name="options">Settings; <see cref="TrainingOptions"/>' defaults when null.</param>
    /// <param name="progress">Told about every finished epoch, synchronously on the training thread.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The best epoch's layers and the loss history. Equal inputs and options give bit-identical results.</returns>
    public static TrainingResult Train(
        ReadOnlySpan<float> data,
        int features,
        TrainingOptions? options = null,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new TrainingOptions();
        options.Validate();
        CheckData(data, features);

        // One stream for the split, distinct from the initialiser's, which uses the seed as is. Every restart
        // sees the same split, so their validation losses compare like with like.
        var random = new Random(unchecked(options.Seed * -1640531535 + 1));
        var split = TrainValidationSplit.Create(data, features, options.ValidationFraction, random);

        TrainingResult? best = null;
        var restartLosses = new List<float>(options.Restarts);
        for (var restart = 1; restart <= options.Restarts; restart++)
        {
            // Restart 1 keeps the seed's own streams, so one restart trains exactly as before restarts existed.
            var orderRandom = restart == 1 ? random : new Random(unchecked((options.Seed + restart) * -1640531535 + 1));
            var result = TrainOnce(split, features, options, options.Seed + restart - 1, orderRandom, restart, progress, cancellationToken);
            restartLosses.Add(result.BestValidationLoss);
            if (best is null || result.BestValidationLoss < best.BestValidationLoss)
            {
                best = result;
            }
        }
        return best! with { RestartValidationLosses = restartLosses };
    }

    private static TrainingResult TrainOnce(
        TrainValidationSplit split,
        int features,
        TrainingOptions options,
        int initSeed,
        Random random,
        int restart,
        IProgress<EpochProgress>? progress,
        CancellationToken cancellationToken)
    {
        var layers = AutoencoderArchitecture.Create(features, initSeed);
        var network = new AutoencoderNetwork(layers);
        var optimizer = new AdamOptimizer(layers, options.LearningRate);
        var gradients = new NetworkGradients(layers);
        var trace = new ForwardTrace();
        var batch = new float[Math.Min(options.BatchSize, split.TrainRows) * features];
        var order = Enumerable.Range(0, split.TrainRows).ToArray();

        var best = Copy(layers);
        var stopping = new EarlyStopping(options.Patience, options.MinDelta);
        var trainLosses = new List<float>();
        var validationLosses = new List<float>();
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var lossSum = 0.0;
            for (var start = 0; start < split.TrainRows; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(options.BatchSize, split.TrainRows - start);
                TrainValidationSplit.Gather(split.Train, features, order.AsSpan(start, rows), batch);
                network.ForwardTraining(batch, rows, trace);
                lossSum += (double)network.Backward(trace, gradients) * rows;
                optimizer.Step(gradients);
            }

            var trainLoss = (float)(lossSum / split.TrainRows);
            var validationLoss = network.Loss(split.Validation, split.ValidationRows);
            if (!float.IsFinite(trainLoss) || !float.IsFinite(validationLoss))
            {
                throw new InvalidOperationException(
                    $"Training diverged at epoch {epoch} (loss {trainLoss}); lower the learning rate.");
            }

            trainLosses.Add(trainLoss);
            validationLosses.Add(validationLoss);
            if (stopping.Observe(epoch, validationLoss))
            {
                CopyInto(layers, best);
            }

            progress?.Report(new EpochProgress(epoch, options.Epochs, trainLoss, validationLoss) { Restart = restart, Restarts = options.Restarts });
            if (stopping.ShouldStop && epoch < options.Epochs)
            {
                return new TrainingResult(best, trainLosses, validationLosses, stopping.BestEpoch, StoppedEarly: true) { Restart = restart };
            }
        }

        return new TrainingResult(best, trainLosses, validationLosses, stopping.BestEpoch, StoppedEarly: false) { Restart = restart };
    }

    private static void CheckData(ReadOnlySpan<float> data, int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (data.Length % features != 0)
        {
            throw new ArgumentException($"{data.Length} values do not make whole rows of {features} features.", nameof(data));
        }

        if (data.Length / features < 2)
        {
            throw new ArgumentException("Training needs at least two rows: one to learn from and one to validate on.", nameof(data));
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                throw new ArgumentException($"Row {i / features}, feature {i % features} is {data[i]}; normalized values must be finite.", nameof(data));
            }
        }
    }

    private static DenseLayer[] Copy(IReadOnlyList<DenseLayer> layers)
    {
        var copy = layers.Select(layer => new DenseLayer(layer.Inputs, layer.Outputs, layer.Relu)).ToArray();
        CopyInto(layers, copy);
        return copy;
    }

    private static void CopyInto(IReadOnlyList<DenseLayer> source, IReadOnlyList<DenseLayer> destination)
    {
        for (var l = 0; l < source.Count; l++)
        {
            source[l].Weights.CopyTo(destination[l].Weights, 0);
            source[l].Bias.CopyTo(destination[l].Bias, 0);
        }
    }
}
