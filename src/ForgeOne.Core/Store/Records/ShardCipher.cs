using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using ForgeOne.Core.Store.Keys;
using Microsoft.Data.Sqlite;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// Compresses and seals record values for one open database file, and opens them again
/// (<see cref="RecordFormat"/>). One per connection; not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Sessions.</b> The first seal inserts a <c>sessions</c> row (current epoch, random 16-byte salt) in the
/// caller's transaction; later seals reuse it until <see cref="SealsPerSession"/>. If that transaction rolls back,
/// the row is gone too, so a writer must discard this cipher after a rollback.</para>
/// <para><b>Compression.</b> Every value is tried with zstd (magicless frames, no checksum or dictionary id: the
/// GCM tag already authenticates) and kept compressed only when that is smaller. Once the database has a
/// trained dictionary (<see cref="TrainDictionary"/>), new values are compressed with the newest one; that is
/// what makes 200-byte log entries small.</para>
/// </remarks>
public sealed class ShardCipher : IDisposable
{
    /// <summary>Seals under one session before a new one starts: 2^32, the random-nonce bound.</summary>
    public const long SealsPerSession = 1L << 32;

    /// <summary>
    /// The zstd level for record values: 1. On blocks of log entries level 3 saved one byte per entry (86.0 against 85.0
    /// bytes, 1M entries) for 1.4 µs more CPU per entry, a fifth of the whole ingest cost (docs/performance.md).
    /// </summary>
    public const int CompressionLevel = 1;

    /// <summary>Largest plaintext a record may open to: 8 MiB.</summary>
    public const int MaxPlaintextLength = 8 * 1024 * 1024;

    /// <summary>Dictionary size trained for a shard: 16 KiB.</summary>
    public const int DictionaryCapacity = 16 * 1024;

    private readonly SqliteConnection _connection;
    private readonly StoreKeys _keys;
    private readonly string _database;
    private readonly Dictionary<long, (int Epoch, AesGcm Aes)> _sessions = [];
    private readonly Dictionary<long, Decompressor> _decompressors = [];
    private Compressor? _plainCompressor;
    private Compressor? _dictionaryCompressor;
    private byte[]? _dictionary;
    private Decompressor? _plainDecompressor;
    private long _dictionaryId;
    private long _writeSession = -1;
    private long _sealsInSession;
    private bool _disposed;

    /// <summary>Creates a cipher for <paramref name="connection"/>, loading the newest dictionary if there is one.</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="database">The database's file name, for error messages.</param>
    /// <param name="keys">The store's keys.</param>
    public ShardCipher(SqliteConnection connection, string database, StoreKeys keys)
    {
        _connection = connection;
        _database = database;
        _keys = keys;
        LoadNewestDictionary();
    }

    /// <summary>The epoch new seals use.</summary>
    public int Epoch => _keys.CurrentEpoch;

    /// <summary>True once the database has a trained dictionary.</summary>
    public bool HasDictionary => _dictionaryId != 0;

    /// <summary>Compresses and seals <paramref name="plaintext"/> as record <paramref name="key"/> of <paramref name="table"/>.</summary>
    /// <param name="table">The table it is stored in.</param>
    /// <param name="key">The record's key bytes (see <see cref="RecordFormat.Key(long)"/>).</param>
    /// <param name="plaintext">The record's serialized form.</param>
    /// <param name="transaction">The write transaction the value will be stored in.</param>
    /// <param name="useDictionary">False for values unlike the table's records (chunks, dictionaries).</param>
    /// <returns>The sealed value.</returns>
    public byte[] Seal(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, SqliteTransaction? transaction, bool useDictionary = true)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SealedLengthBound(plaintext.Length));
        try
        {
            var length = Seal(table, key, plaintext, transaction, buffer, useDictionary);
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The most bytes <see cref="Seal(string, ReadOnlySpan{byte}, ReadOnlySpan{byte}, SqliteTransaction?, Span{byte}, bool)"/> writes for a plaintext of this length.</summary>
    /// <param name="plaintextLength">The plaintext's length.</param>
    /// <returns>The bound.</returns>
    internal static int SealedLengthBound(int plaintextLength) =>
        1 + VarInt.MaxLength + RecordFormat.NonceLength + InnerLengthBound(plaintextLength) + RecordFormat.TagLength;

    /// <summary>
    /// Seals into <paramref name="destination"/> (at least <see cref="SealedLengthBound"/> bytes) instead of a new
    /// array, so a bulk writer can bind the value straight from a reused buffer.
    /// </summary>
    /// <returns>The sealed value's length.</returns>
    internal int Seal(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, SqliteTransaction? transaction, Span<byte> destination, bool useDictionary = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = WriteSession(transaction);
        var aes = _sessions[session].Aes;

        var headerLength = RecordFormat.HeaderLength(session);
        var inner = ArrayPool<byte>.Shared.Rent(InnerLengthBound(plaintext.Length));
        try
        {
            var innerLength = Compress(plaintext, inner, useDictionary);
            var value = destination[..(headerLength + innerLength + RecordFormat.TagLength)];
            value[0] = RecordFormat.Version;
            VarInt.Write((ulong)session, value[1..]);
            var nonce = value.Slice(headerLength - RecordFormat.NonceLength, RecordFormat.NonceLength);
            RandomNumberGenerator.Fill(nonce);
            var aad = RecordFormat.AssociatedData(table, key, value[..(headerLength - RecordFormat.NonceLength)]);
            aes.Encrypt(nonce, inner.AsSpan(0, innerLength), value.Slice(headerLength, innerLength), value[(headerLength + innerLength)..], aad);
            return value.Length;
        }
        finally
        {
            // The inner buffer held plaintext (compressed or not): clear it before it goes back to the shared pool.
            CryptographicOperations.ZeroMemory(inner.AsSpan(0, Math.Min(inner.Length, InnerLengthBound(plaintext.Length))));
            ArrayPool<byte>.Shared.Return(inner);
        }
    }

    /// <summary>Opens a value sealed by <see cref="Seal(string, ReadOnlySpan{byte}, ReadOnlySpan{byte}, SqliteTransaction?, bool)"/>.</summary>
    /// <param name="table">The table it was read from.</param>
    /// <param name="key">The record's key bytes.</param>
    /// <param name="value">The sealed value.</param>
    /// <param name="describeKey">The key as text, for the error message.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="RecordIntegrityException">The value was modified, moved or cut short.</exception>
    /// <exception cref="KeyEpochMissingException">The value's epoch has no key here.</exception>
    public byte[] Open(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string? describeKey = null) =>
        Open(table, key, value, describeKey, rent: false, out _);

    /// <summary>
    /// Opens a value into an array rented from the shared pool, for a reader that is done with the plaintext soon and
    /// returns it (cleared) with <see cref="ReturnRented"/>: a query opens hundreds of blocks and keeps none.
    /// </summary>
    /// <param name="table">The table the value was read from.</param>
    /// <param name="key">The row's key bytes.</param>
    /// <param name="value">The sealed value.</param>
    /// <param name="describeKey">How to name the record in an error.</param>
    /// <param name="length">How many bytes of the returned array are the plaintext.</param>
    /// <returns>The rented array.</returns>
    /// <exception cref="RecordIntegrityException">The value fails to authenticate or decompress.</exception>
    internal byte[] OpenRented(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string? describeKey, out int length) =>
        Open(table, key, value, describeKey, rent: true, out length);

    /// <summary>Clears the plaintext in an array from <see cref="OpenRented"/> and returns it to the pool.</summary>
    /// <param name="plaintext">The array.</param>
    /// <param name="length">The plaintext's length in it.</param>
    internal static void ReturnRented(byte[] plaintext, int length)
    {
        CryptographicOperations.ZeroMemory(plaintext.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(plaintext);
    }

    private byte[] Open(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, string? describeKey, bool rent, out int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long session;
        try
        {
            session = RecordFormat.ReadSession(value);
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(table, key, describeKey, ex.Message, ex);
        }

        var headerLength = RecordFormat.HeaderLength(session);
        var innerLength = value.Length - headerLength - RecordFormat.TagLength;
        if (innerLength < 1)
        {
            throw Damaged(table, key, describeKey, "the value is cut short", null);
        }

        var aes = ReadSession(session, table, key, describeKey).Aes;
        var inner = ArrayPool<byte>.Shared.Rent(innerLength);
        try
        {
            var aad = RecordFormat.AssociatedData(table, key, value[..(headerLength - RecordFormat.NonceLength)]);
            try
            {
                aes.Decrypt(value.Slice(headerLength - RecordFormat.NonceLength, RecordFormat.NonceLength),
                    value.Slice(headerLength, innerLength), value[^RecordFormat.TagLength..], inner.AsSpan(0, innerLength), aad);
            }
            catch (AuthenticationTagMismatchException ex)
            {
                throw Damaged(table, key, describeKey, "it failed authentication (modified, or moved from another table or key)", ex);
            }

            return Decompress(inner.AsSpan(0, innerLength), table, key, describeKey, rent, out length);
        }
        finally
        {
            // Only the decrypted part held plaintext; clearing the whole rented array cost a fifth of a query.
            CryptographicOperations.ZeroMemory(inner.AsSpan(0, innerLength));
            ArrayPool<byte>.Shared.Return(inner);
        }
    }

    /// <summary>The epoch a sealed value was sealed under.</summary>
    /// <param name="value">The sealed value.</param>
    /// <returns>The epoch number.</returns>
    public int EpochOf(ReadOnlySpan<byte> value) => ReadSession(RecordFormat.ReadSession(value), "sessions", default, null).Epoch;

    /// <summary>
    /// Trains a zstd dictionary from sample plaintexts, stores it sealed in <c>dictionaries</c> and uses it for
    /// new seals from now on.
    /// </summary>
    /// <param name="samples">Record plaintexts of this database; a few thousand is plenty.</param>
    /// <param name="transaction">The write transaction.</param>
    /// <returns>False when zstd found too little in common to build a dictionary.</returns>
    public bool TrainDictionary(IReadOnlyList<byte[]> samples, SqliteTransaction transaction)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] dictionary;
        try
        {
            dictionary = DictBuilder.TrainFromBuffer(samples, DictionaryCapacity).ToArray();
        }
        catch (ZstdException)
        {
            return false;
        }

        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(id), 0) + 1 FROM dictionaries";
        var id = (long)command.ExecuteScalar()!;
        var sealedDictionary = Seal("dictionaries", RecordFormat.Key(id), dictionary, transaction, useDictionary: false);
        command.CommandText = "INSERT INTO dictionaries (id, epoch, value) VALUES ($id, $epoch, $value)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$epoch", Epoch);
        command.Parameters.AddWithValue("$value", sealedDictionary);
        command.ExecuteNonQuery();
        UseDictionary(id, dictionary);
        return true;
    }

    /// <summary>Releases the AES and zstd contexts.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, aes) in _sessions.Values)
        {
            aes.Dispose();
        }

        foreach (var decompressor in _decompressors.Values)
        {
            decompressor.Dispose();
        }

        _plainCompressor?.Dispose();
        _dictionaryCompressor?.Dispose();
        _plainDecompressor?.Dispose();
    }

    private static int InnerLengthBound(int plaintextLength) =>
        1 + VarInt.MaxLength + VarInt.MaxLength + Math.Max(plaintextLength, (int)Methods.ZSTD_compressBound((nuint)plaintextLength));

    private static Compressor CreateCompressor()
    {
        var compressor = new Compressor(CompressionLevel);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_experimentalParam2, (int)ZSTD_format_e.ZSTD_f_zstd1_magicless);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 0);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_dictIDFlag, 0);
        // The plaintext length is kept as a varint before the frame instead: magicless frames cannot be sized by zstd's static helpers.
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 0);
        return compressor;
    }

    private static Decompressor CreateDecompressor()
    {
        var decompressor = new Decompressor();
        decompressor.SetParameter(ZSTD_dParameter.ZSTD_d_experimentalParam1, (int)ZSTD_format_e.ZSTD_f_zstd1_magicless);
        return decompressor;
    }

    private int Compress(ReadOnlySpan<byte> plaintext, byte[] inner, bool useDictionary)
    {
        var withDictionary = useDictionary && _dictionary is not null;
        var offset = 1;
        if (withDictionary)
        {
            offset += VarInt.Write((ulong)_dictionaryId, inner.AsSpan(1));
        }

        offset += VarInt.Write((ulong)plaintext.Length, inner.AsSpan(offset));
        var compressor = withDictionary ? DictionaryCompressor() : (_plainCompressor ??= CreateCompressor());
        if (plaintext.Length >= 16
            && compressor.TryWrap(plaintext, inner.AsSpan(offset, plaintext.Length - offset), out var written))
        {
            inner[0] = withDictionary ? RecordFormat.CodecZstdDictionary : RecordFormat.CodecZstd;
            return offset + written;
        }

        inner[0] = RecordFormat.CodecStored;
        plaintext.CopyTo(inner.AsSpan(1));
        return 1 + plaintext.Length;
    }

    private byte[] Decompress(ReadOnlySpan<byte> inner, string table, ReadOnlySpan<byte> key, string? describeKey, bool rent, out int length)
    {
        var codec = inner[0];
        var body = inner[1..];
        Decompressor decompressor;
        switch (codec)
        {
            case RecordFormat.CodecStored:
                length = body.Length;
                var stored = rent ? ArrayPool<byte>.Shared.Rent(body.Length) : new byte[body.Length];
                body.CopyTo(stored);
                return stored;
            case RecordFormat.CodecZstd:
                decompressor = _plainDecompressor ??= CreateDecompressor();
                break;
            case RecordFormat.CodecZstdDictionary:
                var dictionary = (long)VarInt.Read(body, out var idLength);
                body = body[idLength..];
                decompressor = DictionaryDecompressor(dictionary, table, key, describeKey);
                break;
            default:
                throw Damaged(table, key, describeKey, string.Create(CultureInfo.InvariantCulture, $"codec {codec} is unknown to this build"), null);
        }

        byte[]? output = null;
        int written;
        try
        {
            var size = VarInt.Read(body, out var sizeLength);
            body = body[sizeLength..];
            if (size > MaxPlaintextLength)
            {
                throw Damaged(table, key, describeKey, "its declared size is over the 8 MiB record limit", null);
            }

            length = (int)size;
            output = rent ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
            written = decompressor.Unwrap(body, output.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is ZstdException or InvalidDataException)
        {
            Release(output, rent);
            throw Damaged(table, key, describeKey, "its authentic body does not decompress", ex);
        }

        if (written != length)
        {
            Release(output, rent);
            throw Damaged(table, key, describeKey, "it decompresses to another length than it declares", null);
        }

        return output;

        static void Release(byte[]? output, bool rented)
        {
            if (rented && output is not null)
            {
                ReturnRented(output, output.Length);
            }
        }
    }

    private long WriteSession(SqliteTransaction? transaction)
    {
        if (_writeSession >= 0 && _sessions[_writeSession].Epoch == Epoch && _sealsInSession < SealsPerSession)
        {
            _sealsInSession++;
            return _writeSession;
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO sessions (epoch, salt, created) VALUES ($epoch, $salt, $created) RETURNING id";
        command.Parameters.AddWithValue("$epoch", Epoch);
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var session = (long)command.ExecuteScalar()!;
        _sessions[session] = (Epoch, CreateAes(Epoch, salt));
        _writeSession = session;
        _sealsInSession = 1;
        return session;
    }

    private (int Epoch, AesGcm Aes) ReadSession(long session, string table, ReadOnlySpan<byte> key, string? describeKey)
    {
        if (_sessions.TryGetValue(session, out var cached))
        {
            return cached;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT epoch, salt FROM sessions WHERE id = $id";
        command.Parameters.AddWithValue("$id", session);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw Damaged(table, key, describeKey, string.Create(CultureInfo.InvariantCulture, $"its session {session} is not in the sessions table"), null);
        }

        var epoch = reader.GetInt32(0);
        var entry = (epoch, CreateAes(epoch, (byte[])reader.GetValue(1)));
        _sessions[session] = entry;
        return entry;
    }

    private AesGcm CreateAes(int epoch, byte[] salt)
    {
        Span<byte> sessionKey = stackalloc byte[32];
        try
        {
            RecordFormat.DeriveSessionKey(_keys.EpochKey(epoch), salt, sessionKey);
            return new AesGcm(sessionKey, RecordFormat.TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    private void LoadNewestDictionary()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, value FROM dictionaries ORDER BY id DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return;
        }

        var id = reader.GetInt64(0);
        var key = RecordFormat.Key(id);
        UseDictionary(id, Open("dictionaries", key, (byte[])reader.GetValue(1), id.ToString(CultureInfo.InvariantCulture)));
    }

    private void UseDictionary(long id, byte[] dictionary)
    {
        // Compressor and decompressor are built on first use: a reader never compresses, and loading a dictionary
        // into a compressor costs about as much as opening the connection.
        _dictionaryCompressor?.Dispose();
        _dictionaryCompressor = null;
        _dictionary = dictionary;
        _dictionaryId = id;
        if (_decompressors.Remove(id, out var previous))
        {
            previous.Dispose();
        }
    }

    private Compressor DictionaryCompressor()
    {
        if (_dictionaryCompressor is null)
        {
            _dictionaryCompressor = CreateCompressor();
            _dictionaryCompressor.LoadDictionary(_dictionary!);
        }

        return _dictionaryCompressor;
    }

    private Decompressor DictionaryDecompressor(long id, string table, ReadOnlySpan<byte> key, string? describeKey)
    {
        if (_decompressors.TryGetValue(id, out var decompressor))
        {
            return decompressor;
        }

        if (id == _dictionaryId && _dictionary is not null)
        {
            decompressor = CreateDecompressor();
            decompressor.LoadDictionary(_dictionary);
            _decompressors[id] = decompressor;
            return decompressor;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM dictionaries WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        if (command.ExecuteScalar() is not byte[] sealedDictionary)
        {
            throw Damaged(table, key, describeKey, string.Create(CultureInfo.InvariantCulture, $"its dictionary {id} is missing"), null);
        }

        var dictionary = Open("dictionaries", RecordFormat.Key(id), sealedDictionary, id.ToString(CultureInfo.InvariantCulture));
        decompressor = CreateDecompressor();
        decompressor.LoadDictionary(dictionary);
        _decompressors[id] = decompressor;
        return decompressor;
    }

    private RecordIntegrityException Damaged(string table, ReadOnlySpan<byte> key, string? describeKey, string problem, Exception? inner) =>
        new(_database, table, describeKey ?? Crypto.ObjectNames.ToHex(key), problem, inner);
}
