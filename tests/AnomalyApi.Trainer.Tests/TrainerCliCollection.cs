namespace AnomalyApi.Trainer.Tests;

/// <summary>
/// Tests that run the trainer's verbs in process share the console (Spectre.Console refuses two live
/// displays at once, and the tests redirect Console.Out), so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainerCliCollection
{
    public const string Name = "Trainer CLI";
}
