using System.Management.Automation;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>Lists a repository's key slots: the passphrases and key files that open it.</summary>
/// <remarks>
/// Get-ForgeKey lists every key slot of the repository, oldest first: its id, whether a passphrase or a key file opens
/// it, when and by whom (user and host) it was created, its Argon2id costs for a passphrase slot, and IsCurrent for the
/// slot your credentials opened. It never shows a secret. Host and user are informational only: anyone who can write
/// to the storage can change them. Each slot carries a Repository property, so it pipes into Remove-ForgeKey.
/// </remarks>
/// <example>
/// <code>Get-ForgeKey -Repository /backup/repo -KeyFile ~/.forge/ci.key</code>
/// <para>Lists the key slots; the one the key file opened has IsCurrent set.</para>
/// </example>
/// <example>
/// <code>Get-ForgeKey -Repository /backup/repo | Where-Object Kind -eq Passphrase</code>
/// <para>Lists only the slots opened by a passphrase.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeKey")]
[OutputType(typeof(KeySlotInfo))]
public sealed class GetForgeKeyCommand : ForgeRepositoryCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading key slots", RepositoryLocation, (repository, _, ct) => repository.ListKeysAsync(ct), out var keys))
        {
            foreach (var key in keys)
            {
                WriteObject(WithRepository(key));
            }
        }
    }
}
