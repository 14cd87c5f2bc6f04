using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

public sealed class MasterKeyTests
{
    [Fact]
    public void ToString_never_shows_the_key()
    {
        using var key = MasterKey.Generate();

        Assert.Equal("MasterKey(****)", key.ToString());
        Assert.Equal("MasterKey(****)", $"{key}");
    }

    [Fact]
    public void Each_purpose_gets_its_own_subkey()
    {
        using var key = MasterKey.Generate();

        var subkeys = Enum.GetValues<KeyPurpose>().Select(p => Convert.ToHexString(key.DeriveSubkey(p))).ToList();

        Assert.Equal(subkeys.Count, subkeys.Distinct().Count());
        Assert.DoesNotContain(Convert.ToHexString(key.Bytes), subkeys);
    }

    [Fact]
    public void Context_strings_are_distinct_dated_and_versioned()
    {
        var contexts = Enum.GetValues<KeyPurpose>().Select(MasterKey.GetContext).ToList();

        Assert.Equal(contexts.Count, contexts.Distinct().Count());
        Assert.All(contexts, c => Assert.StartsWith("ForgeOne 2026-11-24 ", c, StringComparison.Ordinal));
        Assert.All(contexts, c => Assert.EndsWith(" v1", c, StringComparison.Ordinal));
        Assert.Equal("ForgeOne 2026-11-24 data encryption v1", MasterKey.GetContext(KeyPurpose.DataEncryption));
    }

    [Fact]
    public void Subkeys_are_deterministic_per_master_key_and_differ_between_master_keys()
    {
        using var first = MasterKey.Generate();
        using var second = MasterKey.Generate();
        using var copy = MasterKey.FromBytes(first.Bytes);

        Assert.Equal(first.DeriveSubkey(KeyPurpose.ChunkId), copy.DeriveSubkey(KeyPurpose.ChunkId));
        Assert.NotEqual(first.DeriveSubkey(KeyPurpose.ChunkId), second.DeriveSubkey(KeyPurpose.ChunkId));
    }

    [Fact]
    public void Subkey_material_can_fill_a_gear_table()
    {
        using var key = MasterKey.Generate();
        var table = new byte[256 * sizeof(ulong)];

        key.DeriveSubkey(KeyPurpose.ChunkerGear, table);

        Assert.Contains(table, b => b != 0);
        Assert.Throws<ArgumentException>(() => key.DeriveSubkey(KeyPurpose.ChunkerGear, Span<byte>.Empty));
    }

    [Fact]
    public void Sealers_exist_only_for_sealing_purposes()
    {
        using var key = MasterKey.Generate();

        Assert.Throws<ArgumentException>(() => key.CreateSealer(KeyPurpose.ChunkId));
        Assert.Throws<ArgumentException>(() => key.CreateOpener(KeyPurpose.AuditSigning));
        using var sealer = key.CreateSealer(KeyPurpose.DataEncryption);
        using var opener = key.CreateOpener(KeyPurpose.DataEncryption);
        Assert.Equal([5], opener.Open(ObjectKind.Snapshot, [1], sealer.Seal(ObjectKind.Snapshot, [1], [5]), 1));
    }

    [Fact]
    public void Objects_sealed_for_one_purpose_do_not_open_under_another()
    {
        using var key = MasterKey.Generate();
        using var sealer = key.CreateSealer(KeyPurpose.DataEncryption);
        using var opener = key.CreateOpener(KeyPurpose.Index);

        Assert.Throws<ObjectAuthenticationException>(
            () => opener.Open(ObjectKind.Index, [1], sealer.Seal(ObjectKind.Index, [1], [5]), 1));
    }

    [Fact]
    public void Disposed_key_is_zeroed_and_refuses_use()
    {
        var key = MasterKey.Generate();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.DeriveSubkey(KeyPurpose.DataEncryption));
        Assert.Throws<ObjectDisposedException>(() => key.Bytes.Length);
        key.Dispose();
    }
}
