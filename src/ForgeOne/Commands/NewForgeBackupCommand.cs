using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Backup;

namespace ForgeOne.Commands;

/// <summary>Backs up files and folders, or a stream of bytes, into a repository as a new snapshot.</summary>
/// <remarks>
/// New-ForgeBackup reads the given paths, splits files into content-defined chunks, stores each chunk the repository
/// does not have yet (compressed, encrypted, packed) and commits a snapshot: the tree of files with their metadata,
/// counts and sizes, and the DNA hash a restore must reproduce. Files the previous snapshot of the same paths shows
/// unchanged (size, modification and change time, inode) are not read again unless you pass -Force. Unreadable files
/// are recorded as warnings in the snapshot and do not fail the backup. Bytes piped in with -InputObject are backed up
/// as one file named by -StdinFileName, so a database dump can stream straight into the repository. Ctrl+C stops the
/// backup and leaves the repository as it was: only a committed snapshot is visible. Progress shows the files and bytes
/// done and the rate, and, once a scan running alongside has counted what the paths hold, the percentage and the time
/// left.
/// <para>With -Store, it backs up a whole store instead: every database is copied at one point in time while
/// writers carry on, each copy is checked and its logical DNA computed, and the copies are backed up as one snapshot
/// tagged forge-store whose Store property records the store's id, region and every database's DNA (Restore-ForgeBackup
/// -Store checks restored files against it). The subject-key vault (subjects.redb) is left out on purpose, so a
/// restore can never bring back an erased subject's key. The repository opens with -Repository, -KeyFile and
/// -Credential as usual; the store with -StoreKeyFile or -StoreCredential, else FORGE_STORE_KEYFILE,
/// FORGE_STORE_PASSPHRASE or the config file's store-key-file.</para>
/// </remarks>
/// <example>
/// <code>New-ForgeBackup -Repository /backup/repo -Path /srv/data -Exclude '*.tmp','cache' -Tag nightly</code>
/// <para>Backs up /srv/data without temporary files and cache folders, tagged nightly.</para>
/// </example>
/// <example>
/// <code>$env:FORGE_REPOSITORY = '/backup/repo'; New-ForgeBackup -Path ./site, ./config -Credential (Get-Credential)</code>
/// <para>Backs up two folders, asking for the passphrase once.</para>
/// </example>
/// <example>
/// <code>[IO.File]::ReadAllBytes('db.dump') | New-ForgeBackup -Repository /backup/repo -StdinFileName db.dump</code>
/// <para>Backs up bytes from the pipeline as one file named db.dump.</para>
/// </example>
/// <example>
/// <code>New-ForgeBackup -Repository /backup/repo -KeyFile ./forge.key -Store /var/lib/forgeone/store -StoreKeyFile ./store.key</code>
/// <para>Backs up every database of a store as one snapshot with its manifest of logical DNA.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ForgeBackup", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(Snapshot))]
public sealed class NewForgeBackupCommand : ForgeRepositoryCmdlet
{
    private const string PathSet = "Path";
    private const string StreamSet = "Stream";
    private const string StoreSet = "Store";
    private readonly List<string> _paths = [];
    private readonly MemoryStream _stream = new();

    /// <summary>Files and folders to back up. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Bytes to back up as one file, from the pipeline or as an array.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StreamSet, ValueFromPipeline = true)]
    public byte[] InputObject { get; set; } = [];

    /// <summary>The file name the bytes of -InputObject get in the snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StreamSet)]
    [ValidateNotNullOrEmpty]
    public string StdinFileName { get; set; } = "";

    /// <summary>Back up this store (its folder): every database but the subject-key vault, as one snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = "";

    /// <summary>With -Store: the store passphrase as a PSCredential; by default FORGE_STORE_PASSPHRASE.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    /// <summary>With -Store: a key file that opens the store; by default FORGE_STORE_KEYFILE, then the config file's store-key-file.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string? StoreKeyFile { get; set; }

    /// <summary>Globs of paths to leave out: '*.tmp' matches at any depth, 'logs/*.gz' only at the top.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public string[] Exclude { get; set; } = [];

    /// <summary>Leave out the contents of folders marked with a CACHEDIR.TAG file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter ExcludeCaches { get; set; }

    /// <summary>Leave out files larger than this many bytes.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(1, long.MaxValue)]
    public long MaxFileSize { get; set; }

    /// <summary>Tags to record in the snapshot.</summary>
    [Parameter]
    public string[] Tag { get; set; } = [];

    /// <summary>Read every file, even those the previous snapshot shows unchanged.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == StreamSet)
        {
            _stream.Write(InputObject);
            return;
        }

        foreach (var path in Path)
        {
            _paths.AddRange(ResolveFileSystemPaths(path, literal: false));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == StoreSet)
        {
            BackUpStore();
            base.EndProcessing();
            return;
        }

        var target = RepositoryLocation;
        var what = ParameterSetName == StreamSet ? $"{_stream.Length} bytes as {StdinFileName}" : string.Join(", ", _paths);
        if ((ParameterSetName == PathSet && _paths.Count == 0) || !ShouldProcess(target, $"Back up {what}"))
        {
            base.EndProcessing();
            return;
        }

        var repository = OpenRepository();
        try
        {
            var snapshot = ParameterSetName == StreamSet
                ? RunOperation("Backing up", (progress, ct) =>
                {
                    _stream.Position = 0;
                    return BackupRunner.RunFromStreamAsync(repository, _stream, StdinFileName, Tag, progress, ct);
                })
                : RunOperation("Backing up", (progress, ct) => BackupRunner.RunAsync(repository, new BackupOptions
                {
                    Paths = _paths,
                    Excludes = Exclude,
                    ExcludeCaches = ExcludeCaches,
                    MaxFileSize = MaxFileSize > 0 ? MaxFileSize : null,
                    Tags = Tag,
                    Force = Force,
                }, progress, ct));
            foreach (var warning in snapshot.Warnings)
            {
                WriteWarning(warning);
            }

            WriteObject(WithRepository(snapshot));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            ThrowTerminating(ex, target);
        }

        base.EndProcessing();
    }

    private void BackUpStore()
    {
        var target = RepositoryLocation;
        string location;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Store);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            ThrowTerminating(ex, Store);
            throw;
        }

        if (!ShouldProcess(target, $"Back up the store at '{location}'"))
        {
            return;
        }

        var repository = OpenRepository();
        try
        {
            ForgeStore store;
            using (var credentials = CredentialReader.RequireStore(
                StoreCredential, StoreKeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StoreKeyFile)))
            {
                store = ForgeStore.Open(location, credentials);
            }

            using (store)
            {
                var snapshot = RunOperation("Backing up store", (progress, ct) => StoreBackupRunner.RunAsync(store, repository, Tag, progress, ct));
                WriteObject(WithRepository(snapshot));
            }
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is System.Data.Common.DbException)
        {
            ThrowTerminating(ex, location);
        }
    }
}
