using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store;

/// <summary>A sealed record failed to open: it was modified, moved, truncated, or its key epoch is missing.</summary>
public sealed class RecordIntegrityException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="database">The database file name.</param>
    /// <param name="table">The table.</param>
    /// <param name="key">The record's key, as text.</param>
    /// <param name="problem">What failed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RecordIntegrityException(string database, string table, string key, string problem, Exception? innerException = null)
        : base($"Record {key} in {database} table {table} cannot be opened: {problem}. Run Test-ForgeSnapshot -Store on a recent snapshot, or restore {database} with Restore-ForgeBackup -Store -Target {database}.",
            ObjectKind.StoreRecord, key, innerException)
    {
        Database = database;
        Table = table;
    }

    /// <summary>The database file name.</summary>
    public string Database { get; }

    /// <summary>The table.</summary>
    public string Table { get; }
}
