using System.Text;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Hashes DNA listing lines as they come, in the order the walkers produce, so no walk holds the listing in memory.
/// </summary>
internal sealed class DnaWriter : IDnaSink, IDisposable
{
    private readonly Blake3Hasher _hasher = Blake3Hasher.Create();
    private string? _previous;

    public void Append(NodeType type, string relativePath, long size, string hashHex)
    {
        DnaLine.Validate(type, relativePath, size, hashHex);

        // The walkers promise byte order; a slip would give a wrong DNA silently, so it is checked, not trusted.
        if (_previous is not null && Utf8Ordinal.Instance.Compare(_previous, relativePath) >= 0)
        {
            throw new InvalidOperationException(
                $"DNA entries came out of order (\"{_previous}\" then \"{relativePath}\"); this is a bug in ForgeOne.");
        }

        _previous = relativePath;
        _hasher.Update(Encoding.UTF8.GetBytes(DnaLine.Format(type, relativePath, size, hashHex) + "\n"));
    }

    public string Finish()
    {
        Span<byte> hash = stackalloc byte[Blake3.HashSize];
        _hasher.Finalize(hash);
        return ObjectNames.ToHex(hash);
    }

    public void Dispose() => _hasher.Dispose();
}
