using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store;

/// <summary>
/// A database restored from a backup did not prove to be what was backed up (integrity check, identity, region or
/// logical DNA). Nothing in the store was replaced.
/// </summary>
public sealed class StoreRestoreVerificationException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="database">The database file name.</param>
    /// <param name="problems">What failed.</param>
    public StoreRestoreVerificationException(string database, IReadOnlyList<string> problems)
        : base($"The restored {database} failed verification, so the store was left as it was: {string.Join(" ", problems)} Check the repository with Test-ForgeRepository -ReadData, or restore from another backup (-Id).",
            ObjectKind.Snapshot, database)
    {
        Database = database;
        Problems = problems;
    }

    /// <summary>The database file name.</summary>
    public string Database { get; }

    /// <summary>What failed.</summary>
    public IReadOnlyList<string> Problems { get; }
}
