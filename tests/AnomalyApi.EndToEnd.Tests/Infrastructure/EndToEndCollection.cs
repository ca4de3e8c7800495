namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>The tests that share one recorded model of this machine and the service scoring it live.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<MachineModelFixture>
{
    public const string Name = "End to end on this machine";
}
