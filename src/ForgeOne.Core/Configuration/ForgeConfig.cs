using System.Security.Cryptography;
using System.Text.Json;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Configuration;

/// <summary>
/// The ForgeOne config file: a JSON object of defaults the front ends use when neither a flag nor an environment
/// variable says (<c>store</c>, <c>repository</c>, <c>key-file</c>, <c>store-key-file</c>). It never holds a
/// passphrase.
/// </summary>
/// <remarks>
/// <para>Location: <c>FORGE_CONFIG</c> when set; otherwise on Windows <c>%APPDATA%\ForgeOne\config.json</c>, on macOS
/// <c>~/Library/Application Support/ForgeOne/config.json</c>, and on Linux and other Unix systems
/// <c>$XDG_CONFIG_HOME/forgeone/config.json</c> (<c>~/.config/forgeone/config.json</c> when XDG_CONFIG_HOME is unset).</para>
/// <para>Every value is a path and is stored as a full path. <see cref="Save"/> writes a temporary file beside the
/// config and renames it over the old one, so a reader never sees half a file.</para>
/// </remarks>
public sealed class ForgeConfig
{
    /// <summary>The variable that overrides the config file's location.</summary>
    public const string PathVariable = "FORGE_CONFIG";

    /// <summary>Key: the default store folder.</summary>
    public const string StoreKey = "store";

    /// <summary>Key: the default repository location.</summary>
    public const string RepositoryKey = "repository";

    /// <summary>Key: the key file that opens the repository.</summary>
    public const string KeyFileKey = "key-file";

    /// <summary>Key: the key file that opens the store.</summary>
    public const string StoreKeyFileKey = "store-key-file";

    private readonly SortedDictionary<string, string> _values;

    private ForgeConfig(string path, SortedDictionary<string, string> values)
    {
        FilePath = path;
        _values = values;
    }

    /// <summary>The keys a config file may hold, in the order <c>forge config list</c> shows them.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = [KeyFileKey, RepositoryKey, StoreKey, StoreKeyFileKey];

    /// <summary>The file this config was read from and is saved to.</summary>
    public string FilePath { get; }

    /// <summary>The keys that are set and their values.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Where the config file is: <c>FORGE_CONFIG</c>, else the platform's default location.</summary>
    /// <returns>The full path (the file need not exist).</returns>
    public static string ResolvePath() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } fromEnvironment
            ? Path.GetFullPath(fromEnvironment)
            : DefaultPath();

    /// <summary>The platform's default config file location (see the remarks of <see cref="ForgeConfig"/>).</summary>
    /// <returns>The full path.</returns>
    public static string DefaultPath()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "ForgeOne", "config.json");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Application Support", "ForgeOne", "config.json");
        }

        var configHome = XdgFolders.BaseDirectory("XDG_CONFIG_HOME", ".config") ?? Path.Combine(home, ".config");
        return Path.Combine(configHome, "forgeone", "config.json");
    }

    /// <summary>Reads the config file at <paramref name="path"/> (default: <see cref="ResolvePath"/>); a missing file is an empty config.</summary>
    /// <param name="path">The file, or null for the usual location.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ForgeConfigException">The file is not a JSON object of strings, or it holds a passphrase.</exception>
    public static ForgeConfig Load(string? path = null)
    {
        var file = path is null ? ResolvePath() : Path.GetFullPath(path);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ForgeConfig(file, values);
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ForgeConfigException(file, "it must be one JSON object, for example {\"store\": \"/var/lib/forgeone/store\"}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                RefuseSecret(file, property.Name);
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ForgeConfigException(file, $"the value of '{property.Name}' must be a string.");
                }

                // Keys this build does not know are kept (a newer forge may have written them) but never read.
                values[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException ex)
        {
            throw new ForgeConfigException(file, $"it is not valid JSON ({ex.Message}). Fix or delete the file, or point {PathVariable} at another.", ex);
        }

        return new ForgeConfig(file, values);
    }

    /// <summary>The value of <paramref name="key"/>, or null when it is not set.</summary>
    /// <param name="key">One of <see cref="KnownKeys"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ForgeConfigException">The key is not one of <see cref="KnownKeys"/>.</exception>
    public string? Get(string key) => _values.GetValueOrDefault(RequireKnown(key));

    /// <summary>Sets <paramref name="key"/> to a path, stored as a full path; call <see cref="Save"/> to keep it.</summary>
    /// <param name="key">One of <see cref="KnownKeys"/>.</param>
    /// <param name="value">A path; relative paths are made full against the current folder.</param>
    /// <returns>The value as stored.</returns>
    /// <exception cref="ForgeConfigException">The key is a passphrase or unknown, or the value is empty.</exception>
    public string Set(string key, string value)
    {
        RequireKnown(key);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ForgeConfigException(FilePath, $"'{key}' needs a value; to clear it use 'forge config unset {key}'.");
        }

        return _values[key] = Path.GetFullPath(value);
    }

    /// <summary>Removes <paramref name="key"/>; call <see cref="Save"/> to keep the change.</summary>
    /// <param name="key">One of <see cref="KnownKeys"/>.</param>
    /// <returns>True when it was set.</returns>
    /// <exception cref="ForgeConfigException">The key is not one of <see cref="KnownKeys"/>.</exception>
    public bool Unset(string key) => _values.Remove(RequireKnown(key));

    /// <summary>Writes the config: a temporary file beside it, then a rename over the old file.</summary>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = $"{FilePath}.{ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4))}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                foreach (var (key, value) in _values)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private string RequireKnown(string key)
    {
        RefuseSecret(FilePath, key);
        return KnownKeys.Contains(key, StringComparer.Ordinal)
            ? key
            : throw new ForgeConfigException(FilePath, $"'{key}' is not a config key. Use one of: {string.Join(", ", KnownKeys)}.");
    }

    private static void RefuseSecret(string path, string key)
    {
        if (key.Contains("passphrase", StringComparison.OrdinalIgnoreCase) || key.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            throw new ForgeConfigException(path,
                $"'{key}' is refused: ForgeOne never keeps a passphrase in its config file. Set FORGE_PASSPHRASE / FORGE_STORE_PASSPHRASE in the environment, pass -Credential, or use a key file (key-file, store-key-file).");
        }
    }
}
