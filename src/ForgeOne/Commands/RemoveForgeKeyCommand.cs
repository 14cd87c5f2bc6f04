using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>Removes key slots, so their passphrases or key files no longer open the repository.</summary>
/// <remarks>
/// Remove-ForgeKey deletes key slots by id (see Get-ForgeKey). The repository keeps at least one readable slot: removing
/// the last one is refused with a LastKeySlot error. You may remove the slot your own credentials opened; the command
/// still finishes, with a warning, but those credentials will not open the repository again. Removing a slot does not
/// revoke anyone who has already read the master key, and no data is re-encrypted. Because it can lock people out, the
/// command asks for confirmation unless you pass -Confirm:$false. Slots from Get-ForgeKey bind by property name.
/// -PassThru writes each removed slot.
/// </remarks>
/// <example>
/// <code>Remove-ForgeKey -Repository /backup/repo -KeyFile ~/.forge/ci.key -Id 9c1e0b7a4f3d2e11</code>
/// <para>Removes one key slot, after asking for confirmation.</para>
/// </example>
/// <example>
/// <code>Get-ForgeKey -Repository /backup/repo -KeyFile ./ci.key | Where-Object Kind -eq Passphrase | Remove-ForgeKey -KeyFile ./ci.key -Confirm:$false</code>
/// <para>Removes every passphrase slot, leaving the key-file slots.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ForgeKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KeySlotInfo))]
public sealed class RemoveForgeKeyCommand : ForgeRepositoryCmdlet
{
    /// <summary>Ids of the key slots to remove, as Get-ForgeKey lists them.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Write each removed key slot to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var location = RepositoryLocation;
        foreach (var id in Id)
        {
            if (!TryRunForItem("Reading key slots", id, (repository, _, ct) => repository.ListKeysAsync(ct), out var keys))
            {
                continue;
            }

            // Slots that do not parse are not listed but can still be removed by id.
            var slot = keys.FirstOrDefault(k => k.Id == id);
            var target = slot is null
                ? $"key slot {id} of {location}"
                : string.Create(CultureInfo.InvariantCulture, $"{slot.Kind} key slot {id} of {location}, created {slot.Created.UtcDateTime:yyyy-MM-dd HH:mm}Z by {slot.User}@{slot.Host}");
            if (!ShouldProcess(target, "Remove key slot"))
            {
                continue;
            }

            if (!TryRunForItem("Removing key slot", id, async (repository, _, ct) =>
                {
                    await repository.RemoveKeyAsync(id, ct).ConfigureAwait(false);
                    return true;
                }, out _))
            {
                continue;
            }

            if (slot is { IsCurrent: true })
            {
                WriteWarning($"Key slot {id} opened this session; the credentials you used will not open {location} again. Use another passphrase or key file from now on.");
            }

            if (PassThru && slot is not null)
            {
                WriteObject(WithRepository(slot));
            }
        }
    }
}
