using System.Management.Automation;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Store;

namespace ForgeOne.Commands;

/// <summary>
/// Base of the cmdlets that work on a store: declares -Store (bound by property name, so the output of New-ForgeStore
/// and Get-ForgeStore pipes into the others), -Credential and -KeyFile, and opens each store once per command.
/// </summary>
/// <remarks>
/// <para>The store is -Store, else FORGE_STORE, else <c>store</c> in the config file (about_ForgeOne). Credentials
/// come from -KeyFile, then -Credential, then FORGE_STORE_KEYFILE and FORGE_STORE_PASSPHRASE, then
/// <c>store-key-file</c> in the config file, and last the repository's FORGE_KEYFILE, FORGE_PASSPHRASE and
/// <c>key-file</c>. There is no plain-text passphrase parameter.</para>
/// <para>Derived cmdlets call <see cref="OpenStore"/> in ProcessRecord; the stores close when the command ends,
/// also after Ctrl+C or a terminating error.</para>
/// <para>Import-Module loads every cmdlet type before the module's load context is hooked up, so a cmdlet must not
/// make the runtime load ForgeOne.Core while its type loads: no field of a Core value type (enums: keep an int behind
/// the property) and no base class with a Core type argument (a shared generic base over LogEntry broke import).</para>
/// </remarks>
public abstract class ForgeStoreCmdlet : ForgeCmdlet
{
    private readonly Dictionary<string, ForgeStore> _open = new(StringComparer.Ordinal);

    /// <summary>The store folder; by default FORGE_STORE, then <c>store</c> in the config file.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>The store passphrase as a PSCredential (the user name is ignored); by default FORGE_STORE_PASSPHRASE.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A 32-byte key file that opens one of the store's key slots; by default FORGE_STORE_KEYFILE.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>The resolved store folder (file system path) for the current pipeline item.</summary>
    /// <remarks>No store given anywhere, or a path that is not on the file system, terminates the command.</remarks>
    protected string StoreLocation
    {
        get
        {
            try
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(ForgeEnvironment.ResolveStoreLocation(Store));
            }
            catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException or ForgeConfigException)
            {
                ThrowTerminating(ex, Store);
                throw;
            }
        }
    }

    /// <summary>Store credentials as the user gave them; the caller disposes them.</summary>
    /// <returns>The credentials.</returns>
    /// <exception cref="ArgumentException">None was given anywhere.</exception>
    protected RepositoryCredentials ResolveCredentials() => CredentialReader.RequireStore(
        Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile));

    /// <summary>Opens the store of the current pipeline item, once per command; failures terminate the command.</summary>
    /// <returns>The open store; the base closes it when the command ends.</returns>
    protected ForgeStore OpenStore()
    {
        var location = StoreLocation;
        if (_open.TryGetValue(location, out var store))
        {
            return store;
        }

        try
        {
            using var credentials = ResolveCredentials();
            store = ForgeStore.Open(location, credentials);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            // Wrong credentials or a missing store fail every item alike, so stop here.
            ThrowTerminating(ex, location);
            throw;
        }

        _open[location] = store;
        return store;
    }

    /// <summary>
    /// True for failures that are the item's or the user's, not bugs: Core's, argument, I/O and database
    /// exceptions, and paths PowerShell cannot resolve.
    /// </summary>
    /// <remarks>
    /// SQLite's exceptions are matched as <see cref="System.Data.Common.DbException"/>: naming SqliteException here
    /// would load Microsoft.Data.Sqlite into the default load context, outside the module's own.
    /// </remarks>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether to report it as an error record rather than let it escape as a bug.</returns>
    protected static bool IsItemFailure(Exception exception) =>
        exception is Core.ForgeException or ArgumentException or IOException or UnauthorizedAccessException
            or SessionStateException or System.Data.Common.DbException;

    /// <summary>
    /// Buffers one record in its store's writer: a record that breaks an input rule is reported as an error and the
    /// pipeline goes on; a batch that fails to commit stops the command, since the records buffered with it are lost.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="writers">The command's writers.</param>
    /// <param name="build">Makes the record from the bound parameters.</param>
    /// <param name="target">What an error names as its target.</param>
    /// <param name="passThru">Whether to write committed records to the output.</param>
    private protected void WriteToStore<T>(StoreWriters<T> writers, Func<T> build, object target, bool passThru)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(writers);
        ArgumentNullException.ThrowIfNull(build);
        var writer = writers.For(OpenStore());
        IReadOnlyList<T> committed;
        try
        {
            committed = writer.Add(build());
        }
        catch (StoreValidationException ex)
        {
            // Nothing of this record was buffered; the rest of the pipeline goes on.
            WriteItemError(ex, target);
            return;
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            ThrowTerminating(ex, StoreLocation);
            throw;
        }

        WriteCommitted(committed, passThru);
    }

    /// <summary>Writes what every store's writer still buffers, then closes the writers.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="writers">The command's writers.</param>
    /// <param name="passThru">Whether to write committed records to the output.</param>
    private protected void FlushStores<T>(StoreWriters<T> writers, bool passThru)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(writers);
        foreach (var (location, writer) in writers.All)
        {
            try
            {
                WriteCommitted(writer.Flush(), passThru);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                ThrowTerminating(ex, location);
            }
        }

        writers.Dispose();
    }

    /// <summary>
    /// Writes records read from a store to the output, at most <paramref name="first"/>, stopping on Ctrl+C; a read
    /// that fails (a damaged record, a locked file) is reported as an error on the store.
    /// </summary>
    /// <param name="store">The store read.</param>
    /// <param name="records">The records, read lazily page by page.</param>
    /// <param name="first">The most to write, or null for all.</param>
    protected void WriteRecords(ForgeStore store, IEnumerable<object> records, int? first)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(records);
        var limit = first ?? int.MaxValue;
        try
        {
            var returned = 0;
            foreach (var record in records)
            {
                WriteObject(record);
                if (++returned >= limit)
                {
                    break;
                }

                CancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, store.Path);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        CloseStores();
        base.EndProcessing();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseStores();
        }

        base.Dispose(disposing);
    }

    private void WriteCommitted<T>(IReadOnlyList<T> committed, bool passThru)
    {
        if (passThru)
        {
            foreach (var record in committed)
            {
                WriteObject(record);
            }
        }
    }

    /// <summary>Closes the stores this command opened; derived classes finish their own work on them first.</summary>
    protected void CloseStores()
    {
        foreach (var store in _open.Values)
        {
            store.Dispose();
        }

        _open.Clear();
    }
}
