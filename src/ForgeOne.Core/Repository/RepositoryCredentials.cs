using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// What unlocks a repository: a passphrase or a key file's 32 bytes. Holds its own copy of the secret in a pinned array
/// that <see cref="Dispose"/> zeroes.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the secret. The repository uses the credentials only while opening, initialising
/// or adding a key slot, so they may be disposed as soon as that call returns. Thread-safety: any number of threads may
/// use an instance at once; <see cref="Dispose"/> must not race with them.
/// </remarks>
public sealed class RepositoryCredentials : IDisposable
{
    private readonly char[]? _passphrase;
    private readonly byte[]? _keyFile;
    private bool _disposed;

    private RepositoryCredentials(char[]? passphrase, byte[]? keyFile)
    {
        _passphrase = passphrase;
        _keyFile = keyFile;
    }

    /// <summary>Which kind of key slot these credentials open.</summary>
    public KeySlotKind Kind => _passphrase is not null ? KeySlotKind.Passphrase : KeySlotKind.KeyFile;

    /// <summary>Credentials from a passphrase, copied into a pinned buffer.</summary>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <returns>Credentials the caller must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="passphrase"/> is empty.</exception>
    public static RepositoryCredentials FromPassphrase(ReadOnlySpan<char> passphrase)
    {
        if (passphrase.IsEmpty)
        {
            throw new ArgumentException("A passphrase must not be empty.", nameof(passphrase));
        }

        var copy = GC.AllocateUninitializedArray<char>(passphrase.Length, pinned: true);
        passphrase.CopyTo(copy);
        return new RepositoryCredentials(copy, null);
    }

    /// <summary>Credentials from a key file on disk (<see cref="KeyFile.Read"/>).</summary>
    /// <param name="path">Path of the key file.</param>
    /// <returns>Credentials the caller must dispose.</returns>
    /// <exception cref="InvalidKeyFileException">The file is not exactly <see cref="KeyFile.Size"/> bytes.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable by this user.</exception>
    public static RepositoryCredentials FromKeyFile(string path)
    {
        var bytes = KeyFile.Read(path);
        try
        {
            return FromKeyFileBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Credentials from a key file's contents, copied into a pinned buffer.</summary>
    /// <param name="keyFile">Exactly <see cref="KeyFile.Size"/> (32) bytes.</param>
    /// <returns>Credentials the caller must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyFile"/> is not 32 bytes.</exception>
    public static RepositoryCredentials FromKeyFileBytes(ReadOnlySpan<byte> keyFile)
    {
        if (keyFile.Length != KeyFile.Size)
        {
            throw new ArgumentException($"A key file is {KeyFile.Size} bytes, not {keyFile.Length}.", nameof(keyFile));
        }

        var copy = GC.AllocateUninitializedArray<byte>(KeyFile.Size, pinned: true);
        keyFile.CopyTo(copy);
        return new RepositoryCredentials(null, copy);
    }

    /// <summary>Describes the kind of credentials, never the secret.</summary>
    /// <returns><c>RepositoryCredentials(passphrase)</c> or <c>RepositoryCredentials(key file)</c>.</returns>
    public override string ToString() =>
        Kind == KeySlotKind.Passphrase ? "RepositoryCredentials(passphrase)" : "RepositoryCredentials(key file)";

    /// <summary>Zeroes the secret. Later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_passphrase is not null)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_passphrase.AsSpan()));
        }

        if (_keyFile is not null)
        {
            CryptographicOperations.ZeroMemory(_keyFile);
        }
    }

    /// <summary>Wraps <paramref name="masterKey"/> in a new slot of this credential's kind.</summary>
    internal KeySlot CreateSlot(MasterKey masterKey, Argon2Parameters? argon2)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _passphrase is not null
            ? KeySlot.CreateForPassphrase(masterKey, _passphrase, argon2)
            : KeySlot.CreateForKeyFile(masterKey, _keyFile);
    }

    /// <summary>Tries one slot; false for a slot of the other kind or a wrong secret.</summary>
    internal bool TryUnlock(KeySlot slot, [NotNullWhen(true)] out MasterKey? masterKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _passphrase is not null
            ? slot.TryUnlockWithPassphrase(_passphrase, out masterKey)
            : slot.TryUnlockWithKeyFile(_keyFile, out masterKey);
    }
}
