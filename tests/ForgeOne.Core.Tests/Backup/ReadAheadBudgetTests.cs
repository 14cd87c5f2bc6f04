using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class ReadAheadBudgetTests
{
    [Fact]
    public void Each_file_gets_at_most_its_share_and_nothing_past_the_total()
    {
        var budget = new ReadAheadBudget(perFile: 8, total: 20);

        Assert.Equal(8, budget.Take(100));
        Assert.Equal(5, budget.Take(5));
        Assert.Equal(0, budget.Take(8));
        Assert.Equal(0, budget.Take(0));
        Assert.Equal(13, budget.Outstanding);
        Assert.Equal(7, budget.Take(7));
        Assert.Equal(20, budget.Outstanding);
    }

    [Fact]
    public void What_is_given_back_can_be_taken_again_from_many_threads()
    {
        var budget = new ReadAheadBudget(perFile: 8, total: 64);

        Parallel.For(0, 10_000, _ =>
        {
            var taken = budget.Take(8);
            Assert.InRange(budget.Outstanding, 0, 64 + (8 * Environment.ProcessorCount));
            budget.Return(taken);
        });

        Assert.Equal(0, budget.Outstanding);
        Assert.Equal(8, budget.Take(8));
    }
}
