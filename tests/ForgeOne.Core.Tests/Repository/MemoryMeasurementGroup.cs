namespace ForgeOne.Core.Tests.Repository;

/// <summary>Runs memory measurements alone, so other tests' allocations do not distort process-wide figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementGroup
{
    public const string Name = "Memory measurement";
}
