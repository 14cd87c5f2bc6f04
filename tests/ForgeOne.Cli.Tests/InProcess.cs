using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Cli.Tests;

/// <summary>
/// Core, in the test process, for setting up what no <c>forge</c> command makes: snapshots dated in the past, audit
/// records. Checks always go through <c>forge</c>.
/// </summary>
public static class InProcess
{
    /// <summary>Opens the repository with its key file.</summary>
    public static async Task<Repository> OpenAsync(TestRepository repository)
    {
        using var credentials = RepositoryCredentials.FromKeyFile(repository.KeyFile ?? repository.Environment["FORGE_KEYFILE"]!);
        return await Repository.OpenAsync(new LocalStorageBackend(repository.Path), credentials);
    }

    /// <summary>Saves copies of snapshot <paramref name="snapshotId"/> taken at <paramref name="times"/> (same tree and DNA); returns their ids.</summary>
    public static async Task<string[]> CopySnapshotAtAsync(TestRepository repository, string snapshotId, params DateTimeOffset[] times)
    {
        await using var open = await OpenAsync(repository);
        var snapshot = await SnapshotStore.LoadAsync(open, snapshotId, CancellationToken.None);
        var ids = new List<string>();
        foreach (var time in times)
        {
            ids.Add(await open.SaveSnapshotAsync((snapshot with { Time = time, EndTime = time.AddMinutes(1), Parent = null }).ToJson()));
        }

        return [.. ids];
    }
}
