namespace ForgeOne.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Core_assembly_loads() => Assert.Equal("ForgeOne.Core", typeof(ForgeException).Assembly.GetName().Name);
}
