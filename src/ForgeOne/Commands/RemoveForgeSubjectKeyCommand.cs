using System.Management.Automation;
using ForgeOne.Core.Store.Keys;

namespace ForgeOne.Commands;

/// <summary>Erases data subjects: deletes their keys, so their sealed fields become unreadable everywhere, backups included.</summary>
/// <remarks>
/// <para>Log entries, events and blobs that name a -Subject have that subject and their -SensitiveField fields sealed
/// under the subject's own key, kept in the store's subjects.redb. Remove-ForgeSubjectKey deletes that key for good
/// (with SQLite's secure_delete and a VACUUM, so it does not linger in free pages) and records the erasure (a keyed
/// tag of the subject and the time, never the subject's id). From then on every copy of those fields, in the store,
/// its snapshots and its backups, reads back with SubjectErased set and the subject and sensitive fields gone; the
/// rest of each record stays readable (GDPR Art. 17 by crypto-shredding).</para>
/// <para>It cannot be undone, so it asks for confirmation (ConfirmImpact High) unless you pass -Confirm:$false. The
/// output is one SubjectErasure per subject: Removed is false for a subject that had no key (never used, or erased
/// before).</para>
/// </remarks>
/// <example>
/// <code>Remove-ForgeSubjectKey -Store ./store -KeyFile ./store.key -Subject user-42 -Confirm:$false</code>
/// <para>Erases the data subject user-42 without asking.</para>
/// </example>
/// <example>
/// <code>Get-Content ./erasure-requests.txt | Remove-ForgeSubjectKey -WhatIf</code>
/// <para>Shows which subjects of the store named by FORGE_STORE would be erased, changing nothing.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ForgeSubjectKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SubjectErasure))]
public sealed class RemoveForgeSubjectKeyCommand : ForgeStoreCmdlet
{
    /// <summary>The data subjects' ids, as given with -Subject when the records were written.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Subject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        foreach (var subject in Subject)
        {
            if (!ShouldProcess(subject, "Erase the data subject's key (cannot be undone)"))
            {
                continue;
            }

            try
            {
                var removed = store.Subjects.Remove(subject);
                WriteObject(new SubjectErasure(subject, removed, DateTimeOffset.UtcNow));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, subject);
            }
        }
    }
}
