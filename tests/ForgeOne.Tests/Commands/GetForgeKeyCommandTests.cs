using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class GetForgeKeyCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Lists_every_slot_marking_the_one_that_opened()
    {
        var repository = new TestRepository(shell).Create();
        var second = Path.Combine(repository.Root, "second.key");
        File.WriteAllBytes(second, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var added = Assert.Single(repository.Run("Add-ForgeKey -Repository $repo -KeyFile $key -NewKeyFile $second", ("second", second)).ShouldSucceed().Output);

        var result = repository.Run("Get-ForgeKey -Repository $repo -KeyFile $second", ("second", second)).ShouldSucceed();

        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, k => Assert.Equal("KeySlotInfo", k.TypeName()));
        Assert.All(result.Output, k => Assert.Equal(repository.Location, k.Get<string>("Repository")));
        Assert.Equal(added.Get<string>("Id"), Assert.Single(result.Output, k => k.Get<bool>("IsCurrent")).Get<string>("Id"));
        Assert.All(result.Output, k => Assert.Matches("^[0-9a-f]{16}$", k.Get<string>("Id")));
        Assert.All(result.Output, k => Assert.Equal(Environment.MachineName, k.Get<string>("Host")));
    }
}
