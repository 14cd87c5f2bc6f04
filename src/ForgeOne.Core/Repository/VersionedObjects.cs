using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository;

/// <summary>
/// Settings a repository keeps every version of (the retention policy, alert settings): sealed write-once objects
/// <c>&lt;prefix&gt;&lt;version, 20 digits&gt;</c>, the highest version in force. A new version is created with the
/// backend's atomic no-replace write, so two writers never both become version N: the loser reads again and
/// becomes N+1.
/// </summary>
/// <typeparam name="T">The JSON document of one version.</typeparam>
internal sealed class VersionedObjects<T>(Repository repository, string prefix, JsonTypeInfo<T> json)
    where T : class
{
    private const int MaxObjectLength = 64 * 1024;

    /// <summary>The newest version, or null when none was ever written.</summary>
    public async Task<T?> GetLatestAsync(CancellationToken cancellationToken)
    {
        var names = await repository.Backend.ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false);
        return names.Count == 0 ? null : await ReadAsync(names[^1], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every version, oldest first.</summary>
    public async Task<IReadOnlyList<T>> GetAllAsync(CancellationToken cancellationToken)
    {
        var versions = new List<T>();
        foreach (var name in await repository.Backend.ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            versions.Add(await ReadAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return versions;
    }

    /// <summary>Writes the next version, built for its number by <paramref name="build"/>.</summary>
    public async Task<T> AddAsync(Func<long, T> build, CancellationToken cancellationToken)
    {
        while (true)
        {
            var names = await repository.Backend.ListNamesAsync(prefix, cancellationToken).ConfigureAwait(false);
            var next = names.Count == 0 ? 1 : long.Parse(names[^1].AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture) + 1;
            var version = build(next);
            var name = prefix + next.ToString("D20", CultureInfo.InvariantCulture);
            try
            {
                await repository.WriteSealedObjectAsync(name, ObjectKind.Policy, Encoding.ASCII.GetBytes(name),
                    JsonSerializer.SerializeToUtf8Bytes(version, json), cancellationToken).ConfigureAwait(false);
                return version;
            }
            catch (ObjectExistsException)
            {
                // Another writer took this version number; take the next.
            }
        }
    }

    private async Task<T> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var bytes = await repository.ReadSealedObjectAsync(name, ObjectKind.Policy, Encoding.ASCII.GetBytes(name), MaxObjectLength, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, json) ?? throw new MalformedObjectException(ObjectKind.Policy, name, "it holds no document");
    }
}
