using System.Management.Automation;
using ForgeOne.Core.Repository.Locking;

namespace ForgeOne.Commands;

/// <summary>Removes stale locks, left behind by ForgeOne processes that died, from a repository.</summary>
/// <remarks>
/// Backups, restores and checks hold a shared lock on the repository, and a prune an exclusive one; a process that is
/// killed leaves its lock behind. Such a lock is stale when it has not been refreshed for 30 minutes, or when it comes
/// from this machine and its process is no longer running. ForgeOne never removes stale locks by itself, because a
/// process that is only slow would lose its lock; Unlock-ForgeRepository does, one lock at a time, and writes each
/// removed lock as a LockInfo. Live locks are kept. -RemoveAll removes every lock, live, stale or unreadable: use it
/// only when no ForgeOne process uses the repository, since a running operation that loses its lock stops.
/// </remarks>
/// <example>
/// <code>Unlock-ForgeRepository -Repository /backup/repo -KeyFile ~/.forge/ci.key</code>
/// <para>Removes the stale locks and lists them.</para>
/// </example>
/// <example>
/// <code>Unlock-ForgeRepository -Repository /backup/repo -RemoveAll -WhatIf</code>
/// <para>Shows every lock that -RemoveAll would remove, without removing any.</para>
/// </example>
[Cmdlet(VerbsCommon.Unlock, "ForgeRepository", SupportsShouldProcess = true)]
[OutputType(typeof(LockInfo))]
public sealed class UnlockForgeRepositoryCommand : ForgeRepositoryCmdlet
{
    /// <summary>Remove every lock, not only stale ones; only when no ForgeOne process uses the repository.</summary>
    [Parameter]
    public SwitchParameter RemoveAll { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var location = RepositoryLocation;
        if (!TryRunForItem("Reading locks", location, (repository, _, ct) => repository.CreateLockManager().ListAsync(ct), out var locks))
        {
            return;
        }

        var kept = 0;
        foreach (var info in locks)
        {
            if (!RemoveAll && !info.IsStale)
            {
                kept++;
                continue;
            }

            if (!ShouldProcess(Describe(info), "Remove lock"))
            {
                continue;
            }

            if (TryRunForItem("Removing lock", info.Id, async (repository, _, ct) =>
                {
                    await repository.CreateLockManager().RemoveAsync(info.Id, ct).ConfigureAwait(false);
                    return true;
                }, out _))
            {
                WriteObject(WithRepository(info));
            }
        }

        if (kept > 0)
        {
            WriteVerbose($"Kept {kept} lock(s) that are not stale; -RemoveAll removes them too, when no ForgeOne process uses {location}.");
        }
    }

    private static string Describe(LockInfo info) => info.Problem is not null
        ? $"lock {info.Id[..8]} (unreadable: {info.Problem})"
        : $"lock {info.Id[..8]} ({(info.Exclusive ? "exclusive" : "shared")} {info.Operation}) of {info.User}@{info.Host}, process {info.ProcessId}{(info.IsStale ? $"; stale: {info.StaleReason}" : "")}";
}
