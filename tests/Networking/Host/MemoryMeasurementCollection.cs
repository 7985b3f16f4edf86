namespace P2P.Networking.Tests.Host;

/// <summary>Tests that measure the managed heap run alone, not beside other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
