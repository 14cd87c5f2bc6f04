using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Commands;

/// <summary>Gets the snapshots (backups) of a repository.</summary>
/// <remarks>
/// Get-ForgeBackup lists a repository's snapshots, oldest first, as Snapshot objects: id, time, host, user, paths,
/// tags, file and byte counts and the DNA hash a full restore must reproduce. -HostName, -Path, -Tag, -From and -To
/// narrow the list (tags match when a snapshot has any of them; -From and -To bound the time a snapshot was taken,
/// both inclusive) and -Latest keeps the newest few of what is left. -Id gets snapshots by
/// id, by a unique prefix of an id, or 'latest'. Each snapshot carries a Repository property, so it pipes into
/// Restore-ForgeBackup, Test-ForgeSnapshot and Compare-ForgeBackup, which bind -Id and -Repository by property name.
/// </remarks>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -KeyFile ~/.forge/ci.key</code>
/// <para>Lists every snapshot in the repository, oldest first.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -HostName web01 -Tag nightly -Latest 3</code>
/// <para>Lists the three newest nightly snapshots of host web01.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -From (Get-Date).AddDays(-7)</code>
/// <para>Lists the snapshots taken in the last seven days.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -Id 3f2a91c0 | Restore-ForgeBackup -Destination /srv/restore</code>
/// <para>Gets one snapshot by a prefix of its id and restores it.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeBackup", DefaultParameterSetName = FilterSet)]
[OutputType(typeof(Snapshot))]
public sealed class GetForgeBackupCommand : ForgeRepositoryCmdlet
{
    private const string FilterSet = "Filter";
    private const string IdSet = "Id";

    /// <summary>Snapshot ids, unique prefixes of them, or 'latest' for the newest snapshot.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Keep only the newest this many of the snapshots the other filters selected.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Latest { get; set; }

    /// <summary>Keep only snapshots with at least one of these tags.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    /// <summary>Keep only snapshots of this host (compared case-insensitively).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [Alias("Host")]
    [ValidateNotNullOrEmpty]
    public string? HostName { get; set; }

    /// <summary>Keep only snapshots that backed up exactly this path; a relative path is resolved from the current location.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Keep only snapshots taken at or after this time; a date without a zone is local time.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public DateTime? From { get; set; }

    /// <summary>Keep only snapshots taken at or before this time; a date without a zone is local time.</summary>
    [Parameter(ParameterSetName = FilterSet)]
    public DateTime? To { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id)
            {
                if (TryRunForItem("Reading snapshot", id, (repository, _, ct) => SnapshotStore.LoadAsync(repository, id, ct), out var snapshot))
                {
                    WriteObject(WithRepository(snapshot));
                }
            }

            return;
        }

        var filter = new SnapshotFilter
        {
            Host = HostName,
            Path = Path is null ? null : SnapshotPath(Path),
            Tag = Tag.Length > 0 ? Tag : null,
            Since = From is { } from ? ToUtc(from) : null,
            Until = To is { } to ? ToUtc(to) : null,
            Latest = Latest > 0 ? Latest : null,
        };
        var damaged = new List<DamagedSnapshot>();
        if (TryRunForItem("Reading snapshots", RepositoryLocation, (repository, _, ct) => SnapshotStore.FindAsync(repository, filter, ct, damaged), out var snapshots))
        {
            foreach (var snapshot in damaged)
            {
                WriteWarning($"Snapshot {snapshot.Id[..8]} was skipped: {snapshot.Problem}");
            }

            foreach (var snapshot in snapshots)
            {
                WriteObject(WithRepository(snapshot));
            }
        }
    }

    // Backups record absolute paths without a trailing separator, and '-/name' for a stream.
    private string SnapshotPath(string path) => path.StartsWith("-/", StringComparison.Ordinal)
        ? path
        : System.IO.Path.TrimEndingDirectorySeparator(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
}
