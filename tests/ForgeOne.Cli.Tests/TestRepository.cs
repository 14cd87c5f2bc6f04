using System.Security.Cryptography;
using System.Text.Json;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Cli.Tests;

/// <summary>A repository folder and the passphrase that opens it, with <c>forge</c> runs pointed at it.</summary>
public sealed class TestRepository
{
    /// <summary>The passphrase of the first key slot.</summary>
    public const string Passphrase = "correct horse battery staple";

    /// <summary>A repository at <paramref name="path"/>; <see cref="Init"/> creates one.</summary>
    public TestRepository(string path) => Path = path;

    /// <summary>The repository folder.</summary>
    public string Path { get; }

    /// <summary>The variables every run gets; FORGE_PASSPHRASE by default. Tests change them to try other credentials.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal) { ["FORGE_PASSPHRASE"] = Passphrase };

    /// <summary>The key file that opens the repository, when <see cref="Init"/> created it with one.</summary>
    public string? KeyFile { get; private set; }

    /// <summary>
    /// Runs <c>forge repo init</c> at <paramref name="path"/> with a new key file (FORGE_KEYFILE) and checks that it
    /// worked. Key files open at once, where every passphrase run spends a noticeable fraction of a second in Argon2id.
    /// </summary>
    public static TestRepository Init(string path)
    {
        var repository = new TestRepository(path) { KeyFile = path + ".key" };
        File.WriteAllBytes(repository.KeyFile, RandomNumberGenerator.GetBytes(32));
        repository.Environment.Clear();
        repository.Environment["FORGE_KEYFILE"] = repository.KeyFile;
        repository.Run("repo", "init").Expect(0);
        return repository;
    }

    /// <summary>Runs <c>forge repo init</c> at <paramref name="path"/> with <see cref="Passphrase"/> (FORGE_PASSPHRASE).</summary>
    public static TestRepository InitWithPassphrase(string path)
    {
        var repository = new TestRepository(path);
        repository.Run("repo", "init").Expect(0);
        return repository;
    }

    /// <summary>Runs <c>forge <paramref name="arguments"/> --repo PATH</c> with <see cref="Environment"/>.</summary>
    public Forge.Result Run(params string[] arguments) => Forge.Run([.. arguments, "--repo", Path], environment: Environment);

    /// <summary>As <see cref="Run(string[])"/>, feeding <paramref name="stdin"/>.</summary>
    public Forge.Result Run(byte[] stdin, params string[] arguments) => Forge.Run([.. arguments, "--repo", Path], stdin, environment: Environment);

    /// <summary>Starts <c>forge <paramref name="arguments"/> --repo PATH</c> and returns while it runs.</summary>
    public ForgeProcess Start(params string[] arguments) => Forge.Start([.. arguments, "--repo", Path], Environment);

    /// <summary>Runs <c>forge backup create --json</c> with <paramref name="arguments"/>, checks it worked and returns the snapshot.</summary>
    public JsonElement Backup(params string[] arguments) => Json(Run(["backup", "create", "--json", .. arguments]).Expect(0));

    /// <summary>The snapshots <c>forge backup list --json</c> shows, oldest first.</summary>
    public JsonElement[] Snapshots() => [.. Json(Run("backup", "list", "--json").Expect(0)).EnumerateArray()];

    /// <summary>Full paths of the pack files in the repository folder (unfinished writes in ~tmp excluded).</summary>
    public string[] PackFiles() => Directory.Exists(System.IO.Path.Combine(Path, "data"))
        ? Directory.GetFiles(System.IO.Path.Combine(Path, "data"), "*", SearchOption.AllDirectories)
        : [];

    /// <summary>Full paths of the lock objects in the repository folder.</summary>
    public string[] LockFiles() => Directory.Exists(System.IO.Path.Combine(Path, "locks"))
        ? Directory.GetFiles(System.IO.Path.Combine(Path, "locks"))
        : [];

    /// <summary>Parses a run's standard output as JSON.</summary>
    public static JsonElement Json(Forge.Result result) => JsonDocument.Parse(result.OutputBytes).RootElement.Clone();

    /// <summary>
    /// Flips one byte in the middle of the first data chunk of <paramref name="path"/> in snapshot
    /// <paramref name="snapshotId"/>, as bit rot on the storage would, and returns the pack file it changed.
    /// </summary>
    public async Task<string> FlipByteInChunkOfAsync(string snapshotId, string path)
    {
        var (pack, offset, length) = await LocateFirstChunkAsync(snapshotId, path);
        await using var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset + (length / 2);
        var original = stream.ReadByte();
        stream.Position--;
        stream.WriteByte((byte)(original ^ 0x01));
        return pack;
    }

    /// <summary>The pack file holding the first data chunk of <paramref name="path"/> in snapshot <paramref name="snapshotId"/>, and where in it the chunk lies.</summary>
    /// <remarks>Uses Core only to find the chunk (packs are encrypted); tests then damage or delete plain files.</remarks>
    public async Task<(string Pack, long Offset, int Length)> LocateFirstChunkAsync(string snapshotId, string path)
    {
        using var credentials = KeyFile is null ? RepositoryCredentials.FromPassphrase(Passphrase) : RepositoryCredentials.FromKeyFile(KeyFile);
        await using var repository = await Repository.OpenAsync(new LocalStorageBackend(Path), credentials);
        var snapshot = await SnapshotStore.LoadAsync(repository, snapshotId, CancellationToken.None);
        Core.Snapshots.TreeNode? node = null;
        foreach (var segment in path.Split('/'))
        {
            node = Core.Snapshots.Tree.Parse(await repository.ReadBlobAsync(BlobId.Parse(node?.Subtree ?? snapshot.Tree), BlobType.Tree)).Find(segment)
                ?? throw new InvalidOperationException($"{path} is not in snapshot {snapshotId}");
        }

        Assert.True(repository.Index.TryGet(BlobId.Parse(node!.Content![0]), BlobType.Data, out var blob));
        return (System.IO.Path.Combine(Path, RepositoryPaths.Pack(blob.PackId)), blob.Offset, blob.Length);
    }
}
