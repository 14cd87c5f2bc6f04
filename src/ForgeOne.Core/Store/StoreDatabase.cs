using System.Globalization;
using System.Text.RegularExpressions;

namespace ForgeOne.Core.Store;

/// <summary>
/// One database file of a store, named by kind and shard: <c>system.redb</c>, <c>logs_shard_0.redb</c>,
/// <c>blobs_shard_3.redb</c>, <c>events_shard_15.redb</c>.
/// </summary>
public sealed partial record StoreDatabase
{
    /// <summary>The file extension of every store database.</summary>
    public const string Extension = ".redb";

    /// <summary>The system database, of which every store has exactly one.</summary>
    public static readonly StoreDatabase System = new(StoreDatabaseKind.System, 0);

    /// <summary>Creates the name of shard <paramref name="shard"/> of a database kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="shard">The shard number: 0 for <see cref="StoreDatabaseKind.System"/>, 0 to 15 otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shard number is out of range for the kind.</exception>
    public StoreDatabase(StoreDatabaseKind kind, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, kind == StoreDatabaseKind.System ? 0 : StoreLayout.MaximumShards - 1);
        Kind = kind;
        Shard = shard;
    }

    /// <summary>The kind of database.</summary>
    public StoreDatabaseKind Kind { get; }

    /// <summary>The shard number; 0 for the system database.</summary>
    public int Shard { get; }

    /// <summary>The file name, for example <c>logs_shard_0.redb</c>.</summary>
    public string FileName => Kind == StoreDatabaseKind.System
        ? "system" + Extension
        : string.Create(CultureInfo.InvariantCulture, $"{Kind.ToString().ToLowerInvariant()}_shard_{Shard}{Extension}");

    /// <summary>Parses a file name such as <c>logs_shard_0.redb</c> or <c>system.redb</c> (the extension may be left off).</summary>
    /// <param name="fileName">The name to parse.</param>
    /// <param name="database">The database it names.</param>
    /// <returns>True when the name is a store database's.</returns>
    public static bool TryParse(string? fileName, out StoreDatabase? database)
    {
        database = null;
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return false;
        }

        var name = Path.GetFileName(fileName.Trim());
        if (name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^Extension.Length];
        }

        if (name.Equals("system", StringComparison.OrdinalIgnoreCase))
        {
            database = System;
            return true;
        }

        var match = ShardPattern().Match(name);
        if (!match.Success
            || !Enum.TryParse<StoreDatabaseKind>(match.Groups["kind"].Value, ignoreCase: true, out var kind)
            || !int.TryParse(match.Groups["shard"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            || shard >= StoreLayout.MaximumShards)
        {
            return false;
        }

        database = new StoreDatabase(kind, shard);
        return true;
    }

    /// <summary>Parses a database file name, throwing a message that lists the valid names when it is not one.</summary>
    /// <param name="fileName">The name to parse.</param>
    /// <returns>The database.</returns>
    /// <exception cref="ArgumentException">The name is not a store database's.</exception>
    public static StoreDatabase Parse(string fileName) =>
        TryParse(fileName, out var database)
            ? database!
            : throw new ArgumentException(
                $"'{fileName}' is not a store database name. Use system.redb, logs_shard_N.redb, blobs_shard_N.redb or events_shard_N.redb (N from 0 to {StoreLayout.MaximumShards - 1}).",
                nameof(fileName));

    /// <summary>The file name.</summary>
    /// <returns><see cref="FileName"/>.</returns>
    public override string ToString() => FileName;

    [GeneratedRegex("^(?<kind>logs|blobs|events)_shard_(?<shard>[0-9]{1,2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShardPattern();
}
