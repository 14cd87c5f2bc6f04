using System.Text.Json;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>The official BLAKE3 test vectors, read from the shared folder next to the repository.</summary>
internal static class Blake3TestVectors
{
    private const string RelativePath = "shared/vectors/blake3_test_vectors.json";

    private static readonly Lazy<Document> Loaded = new(Load);

    internal static string Key => Loaded.Value.Key;

    internal static string Context => Loaded.Value.Context;

    internal static IReadOnlyList<Case> Cases => Loaded.Value.Cases;

    /// <summary>The vectors' input: the bytes 0, 1, ..., 250 repeated.</summary>
    internal static byte[] Input(int length)
    {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        return input;
    }

    private static Document Load()
    {
        // The repository is cloned beside shared/, so walk up from the test binaries until shared/ is found.
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(candidate));
                JsonElement root = json.RootElement;
                var cases = root.GetProperty("cases").EnumerateArray().Select(c => new Case(
                    c.GetProperty("input_len").GetInt32(),
                    Convert.FromHexString(c.GetProperty("hash").GetString()!),
                    Convert.FromHexString(c.GetProperty("keyed_hash").GetString()!),
                    Convert.FromHexString(c.GetProperty("derive_key").GetString()!))).ToList();
                return new Document(root.GetProperty("key").GetString()!, root.GetProperty("context_string").GetString()!, cases);
            }
        }

        throw new FileNotFoundException(
            $"No directory above {AppContext.BaseDirectory} contains {RelativePath}; the repository must be cloned next to shared/.");
    }

    internal sealed record Case(int InputLength, byte[] Hash, byte[] KeyedHash, byte[] DeriveKey);

    private sealed record Document(string Key, string Context, IReadOnlyList<Case> Cases);
}
