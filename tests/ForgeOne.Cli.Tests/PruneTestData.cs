using System.Security.Cryptography;
using System.Text.Json;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Cli.Tests;

/// <summary>
/// A repository where a prune has plenty to do, made once for <see cref="PruneCommandTests"/> and copied for each test:
/// small chunks and 256 KiB packs, twelve backups of a folder that gains files to keep, files to drop at the next
/// backup and a bulk file to drop, then <c>forget --keep-last 2</c>. Packs holding only dropped data are deleted by a
/// prune; packs mixing kept and dropped chunks (about half used) are rewritten.
/// </summary>
public sealed class PruneTestData : IDisposable
{
    /// <summary>Backups made before the forget.</summary>
    public const int Backups = 12;

    private readonly ScratchFolder _scratch = new("cli-prune-data-");

    /// <summary>Makes the repository.</summary>
    public PruneTestData()
    {
        var key = Path.Combine(_scratch.Path, "repo.key");
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        Repository = Path.Combine(_scratch.Path, "repo");
        InitAsync(Repository, key).GetAwaiter().GetResult();
        var repository = new TestRepository(Repository);
        repository.Environment.Clear();
        repository.Environment["FORGE_KEYFILE"] = key;

        var source = Path.Combine(_scratch.Path, "source");
        for (var i = 0; i < Backups; i++)
        {
            if (i > 0)
            {
                File.Delete(Path.Combine(source, $"drop-{i - 1:00}.bin"));
                File.Delete(Path.Combine(source, "bulk", $"bulk-{i - 1:00}.bin"));
            }

            TestFiles.WriteRandom(Path.Combine(source, $"keep-{i:00}.bin"), 600 << 10, 1000 + i);
            TestFiles.WriteRandom(Path.Combine(source, $"drop-{i:00}.bin"), 600 << 10, 2000 + i);
            TestFiles.WriteRandom(Path.Combine(source, "bulk", $"bulk-{i:00}.bin"), 2 << 20, 3000 + i);
            repository.Backup(source);
        }

        repository.Run("forget", "--keep-last", "2").Expect(0);
        Kept = [.. repository.Snapshots().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("dnaHash").GetString()!))];
        Assert.Equal(2, Kept.Count);
    }

    /// <summary>The prepared repository; tests work on copies (<see cref="CopyTo"/>).</summary>
    public string Repository { get; }

    /// <summary>The snapshots left after the forget, with their DNA.</summary>
    public IReadOnlyList<(string Id, string Dna)> Kept { get; }

    /// <summary>Copies the repository and its key file to <paramref name="path"/> and returns it ready for <c>forge</c> runs.</summary>
    public TestRepository CopyTo(string path)
    {
        CopyFolder(Repository, path);
        File.Copy(Repository + ".key", path + ".key");
        var repository = new TestRepository(path);
        repository.Environment.Clear();
        repository.Environment["FORGE_KEYFILE"] = path + ".key";
        return repository;
    }

    /// <summary>Deletes everything.</summary>
    public void Dispose() => _scratch.Dispose();

    // Small chunks and packs give a prune hundreds of packs to delete and dozens to rewrite from a few tens of MiB.
    private static async Task InitAsync(string path, string key)
    {
        using var credentials = RepositoryCredentials.FromKeyFile(key);
        var options = new RepositoryInitOptions { Chunker = new ChunkerOptions(16 << 10, 64 << 10, 256 << 10), PackSize = 256 << 10 };
        await using var repository = await Core.Repository.Repository.InitAsync(new LocalStorageBackend(path), credentials, options);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
