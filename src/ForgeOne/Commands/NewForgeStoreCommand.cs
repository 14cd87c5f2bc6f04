using System.Management.Automation;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Statistics;

namespace ForgeOne.Commands;

/// <summary>Creates a new, empty, encrypted store for logs, blobs and events.</summary>
/// <remarks>
/// New-ForgeStore makes a random master key, wraps it in one key slot opened by the passphrase of -Credential or the
/// key file of -KeyFile (else FORGE_STORE_KEYFILE, FORGE_STORE_PASSPHRASE, store-key-file in the config file, and
/// last the repository's FORGE_KEYFILE / FORGE_PASSPHRASE / key-file), and creates system.redb and the shards of each
/// kind. Shard counts and the region are fixed for the store's life. The folder must be empty or missing; a folder
/// with anything in it is left untouched and reported as a StoreExists error. The store is built under a hidden name
/// and moved into place whole, so a stopped creation leaves no half-made store. The output is the new store's
/// statistics; its Store property binds to -Store of the other store cmdlets.
/// </remarks>
/// <example>
/// <code>New-ForgeStore -Path /var/lib/forgeone/store -KeyFile ~/.forge/store.key</code>
/// <para>Creates a store with the default shard counts (4 log, 2 blob, 2 event), opened by a key file.</para>
/// </example>
/// <example>
/// <code>New-ForgeStore -Path ./store -LogShards 8 -Region eu-west-1 -Credential (Get-Credential -UserName forge)</code>
/// <para>Creates a store with eight log shards in region eu-west-1, opened by a passphrase asked for once.</para>
/// </example>
/// <example>
/// <code>New-ForgeStore -Path ./store -KeyFile ./store.key | Get-ForgeStore -KeyFile ./store.key</code>
/// <para>Creates a store and reads its statistics; the output binds to -Store by its Store property.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ForgeStore", SupportsShouldProcess = true)]
[OutputType(typeof(StoreStatistics))]
public sealed class NewForgeStoreCommand : ForgeCmdlet
{
    private static readonly StoreCreateOptions Defaults = new();

    /// <summary>The folder to create the store in; created if missing, and it must be empty.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Number of log shards, 1 to 16; default 4. More shards write in parallel on more cores.</summary>
    [Parameter]
    [ValidateRange(1, StoreLayout.MaximumShards)]
    public int LogShards { get; set; } = Defaults.LogShards;

    /// <summary>Number of blob shards, 1 to 16; default 2.</summary>
    [Parameter]
    [ValidateRange(1, StoreLayout.MaximumShards)]
    public int BlobShards { get; set; } = Defaults.BlobShards;

    /// <summary>Number of event shards, 1 to 16; default 2.</summary>
    [Parameter]
    [ValidateRange(1, StoreLayout.MaximumShards)]
    public int EventShards { get; set; } = Defaults.EventShards;

    /// <summary>Where the data must stay, for example eu-west-1: 2 to 32 lowercase letters, digits or hyphens; default local.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Region { get; set; } = StoreCreateOptions.DefaultRegion;

    /// <summary>The passphrase that will open the store, as a PSCredential (the user name is ignored); by default FORGE_STORE_PASSPHRASE.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A 32-byte key file (see New-ForgeKeyFile) that will open the store; by default FORGE_STORE_KEYFILE.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string location;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            WriteItemError(ex, Path);
            return;
        }

        if (!ShouldProcess(location, "Create a store"))
        {
            return;
        }

        try
        {
            var options = new StoreCreateOptions { LogShards = LogShards, BlobShards = BlobShards, EventShards = EventShards, Region = Region };
            using var credentials = CredentialReader.RequireStore(
                Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile));
            var statistics = RunOperation("Creating store", (_, _) =>
            {
                using var store = ForgeStore.Create(location, credentials, options);
                return Task.FromResult(store.GetStatistics());
            });
            WriteObject(statistics);
        }
        catch (Exception ex) when (ex is Core.ForgeException or ArgumentException or IOException or UnauthorizedAccessException or SessionStateException)
        {
            WriteItemError(ex, location);
        }
    }
}
