using System.Globalization;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// A blob's stored content is damaged: a chunk is missing, fails authentication or its checksum, or the content
/// read back does not match the blob's size or checksum.
/// </summary>
public sealed class BlobIntegrityException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The blob's name.</param>
    /// <param name="id">The blob's id.</param>
    /// <param name="database">The database file it is stored in.</param>
    /// <param name="problem">What failed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BlobIntegrityException(string name, long id, string database, string problem, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Blob '{name}' (id {id}) in {database} is damaged: {problem}. Restore {database} with Restore-ForgeBackup -Store -Target {database}, or add the blob again."),
            ObjectKind.StoreRecord, id.ToString(CultureInfo.InvariantCulture), innerException)
    {
        Name = name;
        Database = database;
    }

    /// <summary>The blob's name.</summary>
    public string Name { get; }

    /// <summary>The database file it is stored in.</summary>
    public string Database { get; }
}
