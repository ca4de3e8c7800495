using AnomalyApi.Trainer.Commands;

// anomaly-trainer: synth | train | evaluate | record. Exit codes are in ExitCodes.
return await TrainerCli.Create().Parse(args).InvokeAsync();
