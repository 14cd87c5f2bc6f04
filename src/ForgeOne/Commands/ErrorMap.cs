using System.Management.Automation;
using System.Security;
using ForgeOne.Core;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Prune;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Repository.Locking;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Store;
using StoreBlobIntegrityException = ForgeOne.Core.Store.Blobs.BlobIntegrityException;
using StoreBlobNotFoundException = ForgeOne.Core.Store.Blobs.BlobNotFoundException;

namespace ForgeOne.Commands;

/// <summary>
/// Gives each kind of failure one stable error id and category, so scripts can match FullyQualifiedErrorId
/// (id, a comma, then the cmdlet's class name) and <c>-ErrorAction</c> behaves as pwsh users expect.
/// </summary>
/// <remarks>The ids are public contract: add new ones, never rename one.</remarks>
internal static class ErrorMap
{
    internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var (id, category) = Classify(exception);
        return new ErrorRecord(exception, id, category, target);
    }

    // Most specific first.
    internal static (string Id, ErrorCategory Category) Classify(Exception exception) => exception switch
    {
        RepositoryNotFoundException => ("RepositoryNotFound", ErrorCategory.ObjectNotFound),
        StoreNotFoundException => ("StoreNotFound", ErrorCategory.ObjectNotFound),
        StoreExistsException => ("StoreExists", ErrorCategory.ResourceExists),
        StoreInUseException => ("StoreInUse", ErrorCategory.ResourceBusy),
        StoreValidationException => ("StoreValidationFailed", ErrorCategory.InvalidData),
        StoreFormatException => ("StoreFormatInvalid", ErrorCategory.InvalidData),
        RecordIntegrityException => ("RecordIntegrityFailed", ErrorCategory.ReadError),
        KeyEpochMissingException => ("KeyEpochMissing", ErrorCategory.ReadError),
        StoreSnapshotNotFoundException => ("StoreSnapshotNotFound", ErrorCategory.ObjectNotFound),
        StoreBackupNotFoundException => ("StoreBackupNotFound", ErrorCategory.ObjectNotFound),
        StoreRestoreVerificationException => ("StoreRestoreVerificationFailed", ErrorCategory.InvalidData),
        // A store blob and a repository blob are one concept to a script: the same ids.
        StoreBlobNotFoundException => ("BlobNotFound", ErrorCategory.ObjectNotFound),
        StoreBlobIntegrityException => ("BlobIntegrityFailed", ErrorCategory.InvalidData),
        ForgeConfigException => ("ConfigInvalid", ErrorCategory.InvalidData),
        RepositoryExistsException => ("RepositoryExists", ErrorCategory.ResourceExists),
        SnapshotNotFoundException => ("SnapshotNotFound", ErrorCategory.ObjectNotFound),
        BlobNotFoundException => ("BlobNotFound", ErrorCategory.ObjectNotFound),
        KeySlotNotFoundException => ("KeySlotNotFound", ErrorCategory.ObjectNotFound),
        LegalHoldException => ("LegalHold", ErrorCategory.PermissionDenied),
        PruneRefusedException => ("PruneRefused", ErrorCategory.InvalidOperation),
        AuditRecordDamagedException => ("AuditRecordDamaged", ErrorCategory.InvalidData),
        RepositoryLockedException => ("RepositoryLocked", ErrorCategory.ResourceBusy),
        RepositoryLockLostException => ("RepositoryLockLost", ErrorCategory.ResourceUnavailable),
        WrongCredentialsException => ("WrongCredentials", ErrorCategory.AuthenticationError),
        InvalidKeyFileException => ("InvalidKeyFile", ErrorCategory.InvalidData),
        LastKeySlotException => ("LastKeySlot", ErrorCategory.InvalidOperation),
        KeyException => ("KeyError", ErrorCategory.SecurityError),
        KeyFileExistsException => ("KeyFileExists", ErrorCategory.ResourceExists),
        BlobIntegrityException => ("BlobIntegrityFailed", ErrorCategory.InvalidData),
        MalformedPackException => ("PackMalformed", ErrorCategory.InvalidData),
        ObjectHashMismatchException => ("ObjectHashMismatch", ErrorCategory.InvalidData),
        ContentMismatchException => ("ContentMismatch", ErrorCategory.InvalidData),
        ObjectAuthenticationException => ("ObjectAuthenticationFailed", ErrorCategory.InvalidData),
        TruncatedObjectException => ("ObjectTruncated", ErrorCategory.InvalidData),
        ObjectTooLargeException => ("ObjectTooLarge", ErrorCategory.InvalidData),
        MalformedObjectException => ("ObjectMalformed", ErrorCategory.InvalidData),
        IntegrityException => ("IntegrityError", ErrorCategory.InvalidData),
        UnsupportedFormatException => ("UnsupportedFormat", ErrorCategory.InvalidData),
        UnrepresentablePathException => ("UnrepresentablePath", ErrorCategory.InvalidData),
        ObjectExistsException => ("StorageObjectExists", ErrorCategory.ResourceExists),
        StorageObjectNotFoundException => ("StorageObjectNotFound", ErrorCategory.ObjectNotFound),
        ForgeException { IsTransient: true } => ("Busy", ErrorCategory.ResourceBusy),
        StorageException => ("StorageError", ErrorCategory.ResourceUnavailable),
        ForgeException => ("ForgeError", ErrorCategory.NotSpecified),
        FileNotFoundException or DirectoryNotFoundException => ("FileNotFound", ErrorCategory.ObjectNotFound),
        UnauthorizedAccessException or SecurityException => ("AccessDenied", ErrorCategory.PermissionDenied),
        IOException => ("IOError", ErrorCategory.WriteError),
        OperationCanceledException => ("Cancelled", ErrorCategory.OperationStopped),
        ArgumentException or NotSupportedException => ("InvalidArgument", ErrorCategory.InvalidArgument),
        SessionStateException => ("InvalidPath", ErrorCategory.InvalidArgument),
        _ => ("UnexpectedError", ErrorCategory.NotSpecified),
    };
}
