namespace ForgeOne.Core.Tests.Snapshots;

public sealed class DnaScriptTests
{
    [Fact]
    public void Design_document_recipe_and_docs_dna_sh_are_identical()
    {
        var block = RepositoryFiles.FencedBlock(RepositoryFiles.DesignDocument, "**Recipe.**", "sh");

        Assert.Equal(File.ReadAllText(RepositoryFiles.DnaScriptPath), block);
    }

    [Fact]
    public void Docs_dna_sh_is_executable()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No execute bit to check.
        }

        Assert.True(File.GetUnixFileMode(RepositoryFiles.DnaScriptPath).HasFlag(UnixFileMode.UserExecute), "chmod +x docs/dna.sh");
    }

    [Fact]
    public void Recipe_needs_b3sum_on_path()
    {
        RepositoryFiles.RequireTool("b3sum", "the DNA recipe hashes with it; install it with 'apt-get install b3sum' (or 'cargo install b3sum')");
    }
}
