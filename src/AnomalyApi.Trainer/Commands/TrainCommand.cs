using System.CommandLine;
using AnomalyApi.Core;
using AnomalyApi.Core.Data;
using AnomalyApi.Trainer.Building;
using AnomalyApi.Trainer.Training;
using Spectre.Console;

namespace AnomalyApi.Trainer.Commands;

/// <summary><c>train</c>: build a model directory from a CSV of normal telemetry.</summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        var data = new Option<FileInfo>("--data") { Description = "CSV of normal telemetry with a header row", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (autoencoder.onnx, model_config.json, training_report.*)", Required = true };
        var features = new Option<string[]>("--features")
        {
            Description = "Feature columns in model order (comma- or space-separated); default: every column but timestamp/time/id/label",
            AllowMultipleArgumentsPerToken = true,
        };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping may end sooner)", DefaultValueFactory = _ => defaults.Epochs };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, split and batch order: the same seed gives the same model", DefaultValueFactory = _ => defaults.Seed };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per Adam step", DefaultValueFactory = _ => defaults.BatchSize };
        var patience = new Option<int>("--patience") { Description = "Epochs without validation improvement before stopping", DefaultValueFactory = _ => defaults.Patience };
        var restarts = new Option<int>("--restarts")
        {
            Description = "Initialisations to train (seeds seed, seed+1, …), keeping the lowest validation loss: guards against a dead ReLU bottleneck",
            DefaultValueFactory = _ => 3,
        };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var threshold = new Option<string>("--threshold")
        {
            Description = "p95 | p99 | mean3sd | auto (mean+3sd where a normality test accepts the training RMSE, else p99)",
            DefaultValueFactory = _ => "auto",
        };
        threshold.AcceptOnlyFromAmong([.. ThresholdSelector.MethodNames]);
        var rangeMargin = new Option<double>("--range-margin")
        {
            Description = "Widen each feature's fitted [min, max] on both sides by this multiple of max(max - min, floor), " +
                          "so slow drift after a short recording is not clipped into an anomaly; CPU mode fractions stay within [0, 1], _bytes gauges >= 0. " +
                          "0 (default) normalises by exactly what the data holds; 1 to 2 suits a recording of minutes",
            HelpName = "fraction",
            DefaultValueFactory = _ => 0,
        };
        rangeMargin.Validators.Add(result => AddErrorUnlessNonNegative(result, "--range-margin"));
        var rangeFloor = new Option<double>("--range-floor")
        {
            Description = "Smallest range --range-margin is taken of, as a fraction of the size of the feature's unit " +
                          "(1 for a CPU fraction, the largest _bytes gauge for memory, else max(|min|, |max|)): " +
                          "gauges that barely moved while recording get room of a few percent of a CPU or of RAM",
            HelpName = "fraction",
            DefaultValueFactory = _ => RangeWidening.DefaultFloor,
        };
        rangeFloor.Validators.Add(result => AddErrorUnlessNonNegative(result, "--range-floor"));
        var clip = new Option<bool>("--clip") { Description = "Clamp normalised values to [0, 1] when serving", DefaultValueFactory = _ => true };
        var name = new Option<string>("--name") { Description = "model_name in the config", DefaultValueFactory = _ => "node-telemetry-autoencoder" };
        var version = new Option<string?>("--model-version") { Description = "model_version in the config" };

        var command = new Command("train", "Train the autoencoder on normal telemetry and write an ONNX model directory")
        {
            data, output, features, epochs, seed, restarts, batchSize, patience, learningRate, threshold, rangeMargin, rangeFloor, clip, name, version,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new BuildRequest(
                DataPath: parse.GetRequiredValue(data).FullName,
                OutputDirectory: parse.GetRequiredValue(output).FullName,
                Features: SplitList(parse.GetValue(features)),
                Training: defaults with
                {
                    Epochs = parse.GetValue(epochs),
                    Seed = parse.GetValue(seed),
                    Restarts = parse.GetValue(restarts),
                    BatchSize = parse.GetValue(batchSize),
                    Patience = parse.GetValue(patience),
                    LearningRate = parse.GetValue(learningRate),
                },
                ThresholdMethod: parse.GetRequiredValue(threshold),
                Clip: parse.GetValue(clip),
                ModelName: parse.GetRequiredValue(name),
                ModelVersion: parse.GetValue(version),
                RangeMargin: parse.GetValue(rangeMargin),
                RangeFloor: parse.GetValue(rangeFloor));
            return Task.FromResult(Run(request, cancellationToken));
        });
        return command;
    }

    private static int Run(BuildRequest request, CancellationToken cancellationToken)
    {
        BuildOutcome outcome;
        try
        {
            request.Training.Validate();
            outcome = AnsiConsole.Profile.Capabilities.Interactive
                ? BuildWithProgressBar(request, cancellationToken)
                : BuildWithProgressLog(request, cancellationToken);
        }
        catch (TelemetryCsvException ex)
        {
            Console.Error.WriteLine($"train: {request.DataPath}: {ex.Message}");
            return ExitCodes.DataError;
        }
        catch (FileNotFoundException ex)
        {
            Console.Error.WriteLine($"train: {ex.Message}");
            return ExitCodes.DataError;
        }
        catch (Exception ex) when (ex is ModelLoadException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"train: {ex.Message}");
            return ExitCodes.ModelError;
        }

        var training = outcome.Training;
        var choice = outcome.Threshold;
        Console.WriteLine($"features:   {outcome.Config.FeatureCount} ({string.Join('-', [training.Layers[0].Inputs, .. training.Layers.Select(l => l.Outputs)])})");
        Console.WriteLine($"restarts:   kept {training.Restart} of {training.RestartValidationLosses.Count} (best validation losses {string.Join(", ", training.RestartValidationLosses.Select(l => l.ToString("E3")))})");
        Console.WriteLine($"epochs:     {training.EpochsRun} run, best {training.BestEpoch} (validation loss {training.BestValidationLoss:E4}){(training.StoppedEarly ? ", stopped early" : "")}");
        Console.WriteLine($"threshold:  {choice.Value:G6} ({ThresholdSelector.MethodName(choice.Method)} -> {ThresholdSelector.MethodName(choice.Applied)}" +
                          (choice.Normality is { } n ? $"; {n.Test} statistic {n.Statistic:G4}, p {n.PValue:G3}" : "") + ")");
        if (request.RangeMargin > 0)
        {
            Console.WriteLine(FormattableString.Invariant($"range:      min/max widened by {request.RangeMargin:G4} x max(range, {request.RangeFloor:G4} x unit scale) per side (observed and widened in {ModelFiles.ReportJson})"));
        }
        Console.WriteLine($"wrote:      {outcome.OutputDirectory}/{{{ModelFiles.Onnx}, {ModelFiles.Config}, {ModelFiles.ReportJson}, {ModelFiles.ReportPng}}}");
        return ExitCodes.Success;
    }

    private static BuildOutcome BuildWithProgressBar(BuildRequest request, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var epochs = request.Training.Epochs;
                var task = context.AddTask("training", maxValue: epochs * request.Training.Restarts);
                var progress = new SynchronousProgress<EpochProgress>(epoch =>
                {
                    task.Value = (epoch.Restart - 1) * epochs + epoch.Epoch;
                    task.Description = $"restart {epoch.Restart}/{epoch.Restarts} epoch {epoch.Epoch}/{epoch.TotalEpochs} train {epoch.TrainLoss:E3} val {epoch.ValidationLoss:E3}";
                });
                var result = ModelBuilder.Build(request, progress, cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });

    /// <summary>Logs, CI and pipes get a line every 25 epochs instead of a redrawn bar.</summary>
    private static BuildOutcome BuildWithProgressLog(BuildRequest request, CancellationToken cancellationToken) =>
        ModelBuilder.Build(request, new SynchronousProgress<EpochProgress>(epoch =>
        {
            if (epoch.Epoch == 1 || epoch.Epoch % 25 == 0)
            {
                Console.WriteLine($"restart {epoch.Restart}/{epoch.Restarts} epoch {epoch.Epoch}/{epoch.TotalEpochs} train {epoch.TrainLoss:E3} val {epoch.ValidationLoss:E3}");
            }
        }), cancellationToken);

    private static void AddErrorUnlessNonNegative(System.CommandLine.Parsing.OptionResult result, string name)
    {
        var value = result.GetValueOrDefault<double>();
        if (!double.IsFinite(value) || value < 0)
        {
            result.AddError($"{name}: {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number >= 0");
        }
    }

    /// <summary>Accepts "--features a,b c" as well as "--features a --features b".</summary>
    private static IReadOnlyList<string>? SplitList(string[]? values) =>
        values is null || values.Length == 0
            ? null
            : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>
    /// IProgress that reports on the caller's thread: System.Progress posts to the thread pool, which
    /// would update the display out of order and after training has finished.
    /// </summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
