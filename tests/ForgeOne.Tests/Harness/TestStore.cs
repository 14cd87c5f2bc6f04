using System.Management.Automation;
using System.Security.Cryptography;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// One test's scratch folder for a store: the store's path and a key file, with the variables scripts use for them
/// ($store, $key, $root). Key files keep tests fast (no Argon2).
/// </summary>
public sealed class TestStore
{
    private readonly ModuleFixture _shell;

    /// <summary>Makes the folder and a random key file; the store does not exist yet.</summary>
    public TestStore(ModuleFixture shell)
    {
        _shell = shell;
        Root = Path.Combine(shell.TempDirectory, "s" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        Directory.CreateDirectory(Root);
        Location = Path.Combine(Root, "store");
        KeyFile = Path.Combine(Root, "store.key");
        File.WriteAllBytes(KeyFile, RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>The scratch folder ($root).</summary>
    public string Root { get; }

    /// <summary>The store folder ($store).</summary>
    public string Location { get; }

    /// <summary>A 32-byte key file ($key).</summary>
    public string KeyFile { get; }

    /// <summary>$store, $key and $root, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, object> Vars(params (string Name, object Value)[] extra)
    {
        var variables = new Dictionary<string, object> { ["store"] = Location, ["key"] = KeyFile, ["root"] = Root };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>Runs a script with this store's variables.</summary>
    public PowerShellResult Run(string script, params (string Name, object Value)[] extra) => _shell.Run(script, Vars(extra));

    /// <summary>Runs a script with this store's variables; terminating errors land in Terminating.</summary>
    public PowerShellResult RunCatching(string script, params (string Name, object Value)[] extra) => _shell.RunCatching(script, Vars(extra));

    /// <summary>Creates the store, opened by the key file.</summary>
    public TestStore Create(int logShards = 4)
    {
        Run("$null = New-ForgeStore -Path $store -KeyFile $key -LogShards $n", ("n", logShards)).ShouldSucceed();
        return this;
    }

    /// <summary>The store's statistics (Get-ForgeStore).</summary>
    public PSObject Statistics() => Assert.Single(Run("Get-ForgeStore -Store $store -KeyFile $key").ShouldSucceed().Output);
}
