using System.CommandLine;

namespace AnomalyApi.Trainer.Commands;

/// <summary>The trainer's command tree, built in one place so tests invoke exactly what users run.</summary>
public static class TrainerCli
{
    /// <summary>The root command with every verb.</summary>
    public static RootCommand Create() => new("Builds ONNX autoencoder models of a machine's normal telemetry for AnomalyApi.")
    {
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        SynthCommand.Create(),
        RecordCommand.Create(),
    };
}
