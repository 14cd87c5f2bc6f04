namespace ForgeOne.Cli.Tests;

/// <summary>
/// The data <see cref="KillTests"/> back up, generated once for the class: a small folder for the snapshot that must
/// survive, and a folder big enough (about 110 MiB, seven 16 MiB packs) that a backup or restore of it runs for
/// seconds, long enough to be killed at chosen points.
/// </summary>
public sealed class KillTestData : IDisposable
{
    /// <summary>Random files in the big folder: 40 × 2.5 MiB.</summary>
    public const int BigRandomFiles = 40;

    private readonly ScratchFolder _scratch = new("cli-kill-data-");
    private readonly Lazy<TestRepository> _backedUp;

    /// <summary>Generates both folders.</summary>
    public KillTestData()
    {
        Small = Path.Combine(_scratch.Path, "small");
        TestFiles.WriteText(Path.Combine(Small, "notes.txt"), 50_000, 1);
        TestFiles.WriteRandom(Path.Combine(Small, "data", "photo.jpg"), 1 << 20, 2);
        TestFiles.WriteRandom(Path.Combine(Small, "data", "tiny.bin"), 10, 3);

        Big = Path.Combine(_scratch.Path, "big");
        for (var i = 0; i < BigRandomFiles; i++)
        {
            TestFiles.WriteRandom(Path.Combine(Big, $"part-{i % 4}", $"file-{i:00}.bin"), 5 << 19, 100 + i);
        }

        for (var i = 0; i < 8; i++)
        {
            TestFiles.WriteText(Path.Combine(Big, "logs", $"app-{i}.log"), 1 << 20, 200 + i);
        }

        BigFingerprint = TestFiles.Fingerprint(Big);
        _backedUp = new(() =>
        {
            var repository = TestRepository.Init(Path.Combine(_scratch.Path, "repo"));
            repository.Backup(Big);
            return repository;
        });
    }

    /// <summary>A repository holding one snapshot of <see cref="Big"/>, made on first use, for the restore tests to share.</summary>
    public TestRepository BackedUp => _backedUp.Value;

    /// <summary><see cref="TestFiles.Fingerprint"/> of <see cref="Big"/>, computed once.</summary>
    public SortedDictionary<string, string> BigFingerprint { get; }

    /// <summary>About 1 MiB in three files.</summary>
    public string Small { get; }

    /// <summary>About 110 MiB: random files (incompressible) and logs (compressible).</summary>
    public string Big { get; }

    /// <summary>Deletes the data.</summary>
    public void Dispose() => _scratch.Dispose();
}
