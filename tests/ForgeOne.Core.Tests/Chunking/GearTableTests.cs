using ForgeOne.Core.Chunking;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace ForgeOne.Core.Tests.Chunking;

public sealed class GearTableTests
{
    [Fact]
    public void Table_is_AES_256_of_little_endian_counter_blocks_read_as_little_endian_ulongs()
    {
        var secret = ChunkingTestData.Secret(0);
        var table = GearTable.FromSecret(secret);

        // An independent AES implementation, following the documented derivation step by step.
        var aes = new AesEngine();
        aes.Init(true, new KeyParameter(secret));
        var counter = new byte[16];
        var block = new byte[16];
        for (var j = 0; j < 128; j++)
        {
            counter[0] = (byte)j;
            aes.ProcessBlock(counter, 0, block, 0);
            Assert.Equal(BitConverter.ToUInt64(block, 0), table[(byte)(2 * j)]);
            Assert.Equal(BitConverter.ToUInt64(block, 8), table[(byte)((2 * j) + 1)]);
        }
    }

    [Fact]
    public void Table_for_secret_00_to_1f_matches_the_documented_test_vector()
    {
        var table = GearTable.FromSecret(ChunkingTestData.Secret(0));

        // AES-256(key 00 01 … 1f, block 00 × 16) = f2 90 00 b6 2a 49 9f d0 a9 f3 9a 6a dd 2e 77 80.
        Assert.Equal(0xd09f492ab60090f2UL, table[0]);
        Assert.Equal(0x80772edd6a9af3a9UL, table[1]);
        Assert.Equal(0x1c41116a8419b5c7UL, table[2]);
        Assert.Equal(0xa136470701050e79UL, table[255]);
    }

    [Fact]
    public void Different_secrets_give_different_tables()
    {
        var first = GearTable.FromSecret(ChunkingTestData.Secret(0));
        var second = GearTable.FromSecret(ChunkingTestData.Secret(1));

        Assert.NotEqual(first[0], second[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Secret_of_wrong_length_is_rejected(int length)
    {
        var exception = Assert.Throws<ArgumentException>(() => GearTable.FromSecret(new byte[length]));

        Assert.Equal("secret", exception.ParamName);
    }
}
