using System.CommandLine;
using System.Text.Json;
using AnomalyApi.Core;
using AnomalyApi.Core.Data;
using AnomalyApi.Core.Scoring;
using AnomalyApi.Trainer.Building;
using AnomalyApi.Trainer.Evaluation;
using Spectre.Console;

namespace AnomalyApi.Trainer.Commands;

/// <summary><c>evaluate</c>: score a labelled CSV with a model directory and report detection quality.</summary>
public static class EvaluateCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model directory (autoencoder.onnx + model_config.json)", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "CSV with the model's features and a 0/1 label column", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "Name of the 0/1 label column", DefaultValueFactory = _ => "label" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table" };

        var command = new Command("evaluate", "Score labelled telemetry with a model and print precision, recall, F1, ROC-AUC, PR-AUC and more")
        {
            model, data, labelColumn, json,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetRequiredValue(model).FullName;
            var dataPath = parse.GetRequiredValue(data).FullName;
            EvaluationReport report;
            try
            {
                // One caller scoring the whole file: one ONNX session is enough (the service holds one per core).
                using var scorer = AnomalyScorer.Load(
                    Path.Combine(directory, ModelFiles.Onnx), Path.Combine(directory, ModelFiles.Config), new ScorerOptions { Sessions = 1 });
                var table = TelemetryTable.Load(dataPath, scorer.Config.Features, parse.GetRequiredValue(labelColumn));
                if (table.Rows == 0)
                {
                    throw new TelemetryCsvException(null, null, "the file has no data rows");
                }
                var scored = scorer.Score(table.Values);
                report = DetectionMetrics.Evaluate(scored.Rmse, table.Labels!, scorer.Config.Threshold);
            }
            catch (ModelLoadException ex)
            {
                Console.Error.WriteLine($"evaluate: {ex.Message}");
                return ExitCodes.ModelError;
            }
            catch (Exception ex) when (ex is TelemetryCsvException or FileNotFoundException or DirectoryNotFoundException)
            {
                Console.Error.WriteLine($"evaluate: {dataPath}: {ex.Message}");
                return ExitCodes.DataError;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            }
            else
            {
                AnsiConsole.Write(EvaluationTable.Render(report));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
