using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Settings;

/// <summary>
/// Versioned settings of a store (configuration, feature flags, the retention policy), kept in system.redb's
/// <c>settings</c> table. Setting a value adds a version; earlier versions stay, so <see cref="History"/> shows who
/// changed what and when.
/// </summary>
/// <remarks>
/// <para>A row's <c>key</c> is <see cref="Keys.StoreKeys.Tag64"/> of the name under the domain <c>"setting"</c>, so
/// the file does not name settings; <c>version</c> counts from 1. The sealed value's record key is
/// <c>key:i64be || version:i64be</c> and its plaintext, layout 1, is
/// <c>1:u8 || name:str || value:str || changedBy:str || changedAt:zigzag(µs)</c>. The name inside the sealed value
/// is checked on read, so two names whose tags collide never see each other's values.</para>
/// <para>Thread-safety: all members may be called from several threads and processes; each call opens its own
/// connection and <see cref="Set"/> allocates its version inside a write transaction.</para>
/// </remarks>
public sealed partial class StoreSettings
{
    /// <summary>Longest setting name: 128 characters.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Longest value: 64 KiB of UTF-8.</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>Longest <c>changedBy</c>: 256 characters.</summary>
    public const int MaxChangedByLength = 256;

    private const string Table = "settings";
    private const byte Layout = 1;

    private readonly ForgeStore _store;
    private readonly TimeProvider _clock;

    internal StoreSettings(ForgeStore store, TimeProvider? clock = null)
    {
        _store = store;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The current version of a setting.</summary>
    /// <param name="name">The setting's name.</param>
    /// <returns>The newest version, or null when the setting was never set.</returns>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public StoreSetting? Get(string name)
    {
        var key = KeyOf(CheckName(name));
        using var shard = _store.OpenShard(StoreDatabase.System);
        using var command = shard.Connection.CreateCommand();
        command.CommandText = "SELECT version, value FROM settings WHERE key = $key ORDER BY version DESC";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var setting = Open(shard, key, reader.GetInt64(0), (byte[])reader.GetValue(1));
            if (setting.Name == name)
            {
                return setting;
            }
        }

        return null;
    }

    /// <summary>Every version of a setting, oldest first.</summary>
    /// <param name="name">The setting's name.</param>
    /// <returns>The versions; empty when the setting was never set.</returns>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public IReadOnlyList<StoreSetting> History(string name)
    {
        var key = KeyOf(CheckName(name));
        using var shard = _store.OpenShard(StoreDatabase.System);
        using var command = shard.Connection.CreateCommand();
        command.CommandText = "SELECT version, value FROM settings WHERE key = $key ORDER BY version";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        var versions = new List<StoreSetting>();
        while (reader.Read())
        {
            var setting = Open(shard, key, reader.GetInt64(0), (byte[])reader.GetValue(1));
            if (setting.Name == name)
            {
                versions.Add(setting);
            }
        }

        return versions;
    }

    /// <summary>The current version of every setting, by name.</summary>
    /// <returns>The settings in ordinal name order.</returns>
    public IReadOnlyList<StoreSetting> GetAll()
    {
        using var shard = _store.OpenShard(StoreDatabase.System);
        using var command = shard.Connection.CreateCommand();
        command.CommandText = "SELECT key, version, value FROM settings ORDER BY key, version";
        using var reader = command.ExecuteReader();
        var latest = new Dictionary<string, StoreSetting>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var setting = Open(shard, reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2));
            latest[setting.Name] = setting;
        }

        return [.. latest.Values.OrderBy(setting => setting.Name, StringComparer.Ordinal)];
    }

    /// <summary>Sets a value as a new version of the setting, keeping the earlier versions.</summary>
    /// <param name="name">The setting's name: 1 to 128 of letters, digits and <c>. _ - / :</c>, starting with a letter or digit.</param>
    /// <param name="value">The value, at most 64 KiB of UTF-8.</param>
    /// <param name="changedBy">Who sets it, 1 to 256 characters, kept with the version.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="StoreValidationException">The name, value or changedBy breaks a rule.</exception>
    public StoreSetting Set(string name, string value, string changedBy)
    {
        CheckName(name);
        if (value is null || Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw new StoreValidationException("Value", string.Create(CultureInfo.InvariantCulture,
                $"setting '{name}' needs a value of at most {MaxValueBytes} bytes of UTF-8."));
        }

        if (string.IsNullOrWhiteSpace(changedBy) || changedBy.Length > MaxChangedByLength)
        {
            throw new StoreValidationException("ChangedBy", string.Create(CultureInfo.InvariantCulture,
                $"say who changes setting '{name}' in 1 to {MaxChangedByLength} characters, for example a user or service name."));
        }

        var key = KeyOf(name);
        var now = IndexPosition.FromMicros(IndexPosition.Micros(_clock.GetUtcNow()));
        using var shard = _store.OpenShard(StoreDatabase.System);
        using var transaction = shard.BeginWrite();
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(version), 0) + 1 FROM settings WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        var version = (long)command.ExecuteScalar()!;

        var writer = new RecordWriter();
        writer.WriteByte(Layout);
        writer.WriteString(name);
        writer.WriteString(value);
        writer.WriteString(changedBy);
        writer.WriteInt64(IndexPosition.Micros(now));
        command.CommandText = "INSERT INTO settings (key, version, epoch, value) VALUES ($key, $version, $epoch, $value)";
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$epoch", shard.Cipher.Epoch);
        command.Parameters.AddWithValue("$value", shard.Cipher.Seal(Table, Records.RecordKey.FromValues([key, version]), writer.WrittenSpan, transaction));
        command.ExecuteNonQuery();
        transaction.Commit();
        _store.TryAudit(new AuditEvent
        {
            Operation = AuditOperations.PolicyChange,
            Target = "setting " + name,
            Parameters = new Dictionary<string, string> { ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["changedBy"] = changedBy },
        });
        return new StoreSetting(name, value, version, changedBy, now);
    }

    private static StoreSetting Open(StoreShard shard, long key, long version, byte[] value)
    {
        var describe = string.Create(CultureInfo.InvariantCulture, $"{key}/{version}");
        var plaintext = shard.Cipher.Open(Table, Records.RecordKey.FromValues([key, version]), value, describe);
        try
        {
            var reader = new RecordReader(plaintext);
            if (reader.ReadByte() != Layout)
            {
                throw new InvalidDataException("The setting has a layout this build does not know.");
            }

            return new StoreSetting(reader.ReadString(), reader.ReadString(), version, reader.ReadString(), IndexPosition.FromMicros(reader.ReadInt64()));
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(StoreDatabase.System.FileName, Table, describe, "its authentic value is malformed", ex);
        }
    }

    private long KeyOf(string name) => _store.Keys.Tag64("setting", name);

    private static string CheckName(string name) =>
        name is not null && NamePattern().IsMatch(name)
            ? name
            : throw new StoreValidationException("Name", string.IsNullOrEmpty(name)
                ? "a setting name is required, for example 'retention.policy'."
                : $"'{(name.Length <= 40 ? name : name[..40] + "...")}' is not a setting name. Use 1 to {MaxNameLength} letters, digits and . _ - / :, starting with a letter or digit.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
