using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// One test's scratch folder: a repository location, a key file, and a source folder of sample data, with the
/// variables scripts use for them ($repo, $key, $source, $root).
/// </summary>
public sealed class TestRepository
{
    private readonly ModuleFixture _shell;

    /// <summary>Makes the folder and a random key file; nothing else exists yet.</summary>
    public TestRepository(ModuleFixture shell)
    {
        _shell = shell;
        Root = Path.Combine(shell.TempDirectory, Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        Directory.CreateDirectory(Root);
        Location = Path.Combine(Root, "repo");
        KeyFile = Path.Combine(Root, "forge.key");
        File.WriteAllBytes(KeyFile, RandomNumberGenerator.GetBytes(32));
        Source = Path.Combine(Root, "data");
    }

    /// <summary>The scratch folder.</summary>
    public string Root { get; }

    /// <summary>The repository folder ($repo).</summary>
    public string Location { get; }

    /// <summary>A 32-byte key file ($key).</summary>
    public string KeyFile { get; }

    /// <summary>The folder backed up ($source), named "data", so snapshot paths start with "data/".</summary>
    public string Source { get; }

    /// <summary>A PSCredential holding <paramref name="passphrase"/>, built without ConvertTo-SecureString (not in the hosted engine).</summary>
    public static PSCredential Credential(string passphrase)
    {
        var secure = new SecureString();
        foreach (var c in passphrase)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return new PSCredential("forge", secure);
    }

    /// <summary>$repo, $key, $source and $root, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, object> Vars(params (string Name, object Value)[] extra)
    {
        var variables = new Dictionary<string, object> { ["repo"] = Location, ["key"] = KeyFile, ["source"] = Source, ["root"] = Root };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>Runs a script with this repository's variables.</summary>
    public PowerShellResult Run(string script, params (string Name, object Value)[] extra) => _shell.Run(script, Vars(extra));

    /// <summary>Runs a script with this repository's variables; terminating errors land in Terminating (see <see cref="ModuleFixture.RunCatching"/>).</summary>
    public PowerShellResult RunCatching(string script, params (string Name, object Value)[] extra) => _shell.RunCatching(script, Vars(extra));

    /// <summary>Creates the repository, opened by the key file, and writes the sample data.</summary>
    public TestRepository Create(bool withLargeFile = false)
    {
        Run("$null = New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed();
        SampleData.Write(Source, withLargeFile);
        return this;
    }

    /// <summary>Backs up $source and returns the snapshot.</summary>
    public PSObject Backup(string? tag = null) =>
        Assert.Single(Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source -Tag $tags",
            ("tags", tag is null ? Array.Empty<string>() : new[] { tag })).ShouldSucceed().Output);

    /// <summary>
    /// Flips one byte in the middle of the largest data chunk in the repository: with the large sample file, one of
    /// its chunks (every other file fits in one smaller chunk).
    /// </summary>
    /// <param name="coreObject">Any object the module emitted, to reach Core for the packs' layout.</param>
    /// <returns>The pack file damaged.</returns>
    public string FlipByteInLargestChunk(PSObject coreObject)
    {
        string pack;
        long position;
        using (var repository = ReflectedRepository.Open(coreObject.BaseObject, Location, KeyFile))
        {
            var largest = repository.DataBlobs(Location).MaxBy(b => b.Length);
            (pack, position) = (largest.PackFile, largest.Offset + (largest.Length / 2));
        }

        using var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        var value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0xFF));
        return pack;
    }
}
