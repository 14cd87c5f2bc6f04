using System.Text.RegularExpressions;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store;

/// <summary>Choices fixed when a store is created.</summary>
public sealed partial class StoreCreateOptions
{
    /// <summary>The region recorded when none is given: <c>local</c>.</summary>
    public const string DefaultRegion = "local";

    private readonly string _region = DefaultRegion;

    /// <summary>Log shards, 1 to 16; default 4.</summary>
    public int LogShards { get; init; } = 4;

    /// <summary>Blob shards, 1 to 16; default 2.</summary>
    public int BlobShards { get; init; } = 2;

    /// <summary>Event shards, 1 to 16; default 2.</summary>
    public int EventShards { get; init; } = 2;

    /// <summary>
    /// Where the data must stay (for example <c>eu-west-1</c>): lowercase letters, digits and hyphens, 2 to 32
    /// characters. Recorded in the store and in every snapshot; a database from a store of another region is
    /// never restored into this one.
    /// </summary>
    /// <exception cref="StoreValidationException">The name does not follow the rule.</exception>
    public string Region
    {
        get => _region;
        init => _region = ValidateRegion(value);
    }

    /// <summary>Argon2id cost for the first passphrase slot; null for the default. Tests lower it.</summary>
    public Argon2Parameters? Argon2 { get; init; }

    /// <summary>Checks a region name.</summary>
    /// <param name="region">The name.</param>
    /// <returns>The name.</returns>
    /// <exception cref="StoreValidationException">The name does not follow the rule.</exception>
    public static string ValidateRegion(string? region) =>
        region is not null && RegionPattern().IsMatch(region)
            ? region
            : throw new StoreValidationException("Region",
                $"'{region}' is not a region name. Use 2 to 32 lowercase letters, digits or hyphens, for example eu-west-1.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
