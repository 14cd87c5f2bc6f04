using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Tests.Storage;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>A real local backend in a fresh temporary folder, and cheap settings so tests run fast.</summary>
internal sealed class RepositoryTestContext : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    // Argon2 at its cheapest; the costs themselves are tested with the key slots.
    public static readonly Argon2Parameters FastArgon2 = new(memoryKiB: 64, iterations: 1, parallelism: 1);

    private readonly TestFolder _folder = new();

    public RepositoryTestContext()
    {
        Root = Path.Join(_folder.Path, "repo");
        Backend = new LocalStorageBackend(Root);
    }

    public string Root { get; }

    public LocalStorageBackend Backend { get; }

    public string TempPath => _folder.Path;

    public static RepositoryInitOptions Options(int packSize = RepositoryConfig.MinimumPackSize) => new()
    {
        Argon2 = FastArgon2,
        PackSize = packSize,
        Chunker = new ChunkerOptions(4 * 1024, 16 * 1024, 64 * 1024),
    };

    public static RepositoryCredentials PassphraseCredentials() => RepositoryCredentials.FromPassphrase(Passphrase);

    public async Task<ForgeRepository> InitAsync(RepositoryInitOptions? options = null)
    {
        using var credentials = PassphraseCredentials();
        return await ForgeRepository.InitAsync(Backend, credentials, options ?? Options());
    }

    public async Task<ForgeRepository> OpenAsync()
    {
        using var credentials = PassphraseCredentials();
        return await ForgeRepository.OpenAsync(Backend, credentials);
    }

    /// <summary>Every object's name and length, sorted: a fingerprint of the repository's state.</summary>
    public async Task<IReadOnlyList<string>> ListAllAsync()
    {
        var names = new List<string>();
        await foreach (var item in Backend.ListAsync(""))
        {
            names.Add($"{item.Name} {item.Length}");
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var item in Backend.ListAsync(prefix))
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public string PathOf(string objectName) => Path.Join(Root, objectName.Replace('/', Path.DirectorySeparatorChar));

    public void Dispose() => _folder.Dispose();
}
