using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository.Locking;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Tests.Storage;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>
/// A repository for lock tests: a local backend in a temporary folder and a fresh master key. Plants lock objects
/// written by hand from the format in docs/design.md ("Locks"), for holders this process cannot be: other hosts,
/// dead processes, old locks.
/// </summary>
internal sealed class LockTestRepository : IDisposable
{
    public const string OtherHost = "some-other-host";

    private readonly TestFolder _folder = new();

    public LockTestRepository()
    {
        Backend = new LocalStorageBackend(Path.Join(_folder.Path, "repo"));
        Key = MasterKey.Generate();
        Sealer = Key.CreateSealer(KeyPurpose.DataEncryption);
        Opener = Key.CreateOpener(KeyPurpose.DataEncryption);
    }

    public LocalStorageBackend Backend { get; }

    public MasterKey Key { get; }

    public ObjectSealer Sealer { get; }

    public ObjectOpener Opener { get; }

    public RepositoryLockManager CreateManager(RepositoryLockOptions? options = null, TimeProvider? time = null,
        IStorageBackend? backend = null) =>
        new(backend ?? Backend, Sealer, Opener, options, time);

    /// <summary>A lock document exactly as the design document specifies it.</summary>
    public static string LockJson(string host, string user, int pid, DateTimeOffset? processStart, bool exclusive,
        string operation, DateTimeOffset created, DateTimeOffset refreshed) =>
        "{\"version\":1," +
        $"\"host\":\"{host}\",\"user\":\"{user}\",\"pid\":{pid.ToString(CultureInfo.InvariantCulture)}," +
        $"\"processStart\":{(processStart is { } start ? $"\"{Time(start)}\"" : "null")}," +
        $"\"exclusive\":{(exclusive ? "true" : "false")},\"operation\":\"{operation}\"," +
        $"\"created\":\"{Time(created)}\",\"refreshed\":\"{Time(refreshed)}\"}}";

    /// <summary>Seals and stores a lock document; returns the lock's id.</summary>
    public async Task<string> PlantAsync(string json)
    {
        var id = RandomNumberGenerator.GetHexString(64, lowercase: true);
        await WriteSealedAsync(id, Sealer, json);
        return id;
    }

    /// <summary>Stores a lock of the given holder, refreshed at <paramref name="refreshed"/> (default: now).</summary>
    public Task<string> PlantAsync(string host = OtherHost, int pid = 4242, bool exclusive = false,
        string operation = "backup", DateTimeOffset? refreshed = null, DateTimeOffset? processStart = null,
        string user = "alice")
    {
        var time = refreshed ?? DateTimeOffset.UtcNow;
        return PlantAsync(LockJson(host, user, pid, processStart, exclusive, operation, time - TimeSpan.FromMinutes(1), time));
    }

    public Task WriteSealedAsync(string id, ObjectSealer sealer, string json) =>
        Backend.WriteOnceAsync("locks/" + id,
            sealer.Seal(ObjectKind.Lock, Encoding.ASCII.GetBytes(id), Encoding.UTF8.GetBytes(json)));

    /// <summary>The ids of the lock objects in storage, sorted.</summary>
    public async Task<List<string>> LockIdsAsync()
    {
        var ids = new List<string>();
        await foreach (var item in Backend.ListAsync("locks/"))
        {
            ids.Add(item.Name["locks/".Length..]);
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Opens a lock object and returns its JSON.</summary>
    public async Task<string> ReadJsonAsync(string id)
    {
        var sealedLock = await Backend.ReadAllAsync("locks/" + id);
        return Encoding.UTF8.GetString(Opener.Open(ObjectKind.Lock, Encoding.ASCII.GetBytes(id), sealedLock, 65536));
    }

    public string FilePath(string id) => Path.Join(Backend.RootDirectory, "locks", id);

    /// <summary>The id of a process that ran on this host and has exited.</summary>
    public static int DeadProcessId()
    {
        var startInfo = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", "/c exit 0")
            : new ProcessStartInfo("true");
        startInfo.UseShellExecute = false;
        using var process = Process.Start(startInfo)!;
        var id = process.Id;
        process.WaitForExit();
        return id;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        Sealer.Dispose();
        Opener.Dispose();
        Key.Dispose();
        _folder.Dispose();
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
