using ForgeOne.Core;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Prune;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Blobs;

namespace ForgeOne.Cli;

/// <summary>
/// Exit codes of <c>forge</c>, documented in docs/cli.md. Scripts rely on them: never renumber one.
/// </summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The command failed; stderr says why in one line.</summary>
    public const int Failure = 1;

    /// <summary>The command line could not be parsed.</summary>
    public const int Usage = 2;

    /// <summary>A verification ran and found damage (the command itself worked).</summary>
    public const int DamageFound = 3;

    /// <summary>No key slot opens with the given passphrase or key file.</summary>
    public const int WrongCredentials = 4;

    /// <summary>The repository is locked, or the store is in use, by another process.</summary>
    public const int Locked = 5;

    /// <summary>A legal hold refused the removal of a snapshot; the message names the hold.</summary>
    public const int LegalHold = 6;

    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;

    /// <summary>The one place that maps an exception to an exit code.</summary>
    public static int For(Exception exception) => exception switch
    {
        OperationCanceledException => Cancelled,
        WrongCredentialsException => WrongCredentials,

        // Damage: a restored database that did not verify, a blob whose chunks or checksum fail, any other integrity failure.
        StoreRestoreVerificationException => DamageFound,
        BlobIntegrityException => DamageFound,
        IntegrityException => DamageFound,
        StoreFormatException => DamageFound,
        KeyEpochMissingException => DamageFound,

        // Prune cannot tell what is in use because a snapshot or tree does not read: damage, and nothing was changed.
        PruneRefusedException => DamageFound,
        LegalHoldException => LegalHold,

        // Not found: the command could not do what was asked, and says what to name instead.
        BlobNotFoundException => Failure,
        StoreSnapshotNotFoundException => Failure,
        StoreBackupNotFoundException => Failure,
        StoreValidationException => Usage,
        ForgeConfigException => Usage,
        ForgeException { IsTransient: true } => Locked,
        ArgumentException => Usage,
        _ => Failure,
    };
}
