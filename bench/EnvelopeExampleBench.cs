using System.Buffers.Binary;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Bench;

/// <summary>
/// Prints the worked example of docs/design.md ("Envelope format"): fixed key, session, nonce and
/// plaintext, built step by step from the spec and then checked with <see cref="ObjectOpener"/>.
/// Rerun after any change to BLAKE3 and paste the output into the doc:
/// dotnet run -c Release --project bench -- envelopeexample
/// </summary>
public static class EnvelopeExampleBench
{
    public static int Run(string[] args)
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var session = Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray();
        var nonce = Enumerable.Range(0, 12).Select(i => (byte)(0xC0 + i)).ToArray();
        byte[] id = [0xDE, 0xAD, 0xBE, 0xEF];
        var plaintext = "hello"u8.ToArray();

        var sessionKey = new byte[32];
        Blake3.KeyedHash(key, [.. "ForgeOne session v1"u8, .. session], sessionKey);
        byte[] header = [Envelope.Version, Envelope.AlgorithmAes256GcmSession, .. session, .. nonce];
        var idLength = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(idLength, (ushort)id.Length);
        byte[] aad = [.. "FGO1"u8, (byte)ObjectKind.Chunk, .. idLength, .. id, Envelope.Version, Envelope.AlgorithmAes256GcmSession, .. session];
        byte[] inner = [Envelope.CodecStored, .. plaintext];
        var ciphertext = new byte[inner.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(sessionKey, 16))
        {
            aes.Encrypt(nonce, inner, ciphertext, tag, aad);
        }

        byte[] sealedObject = [.. header, .. ciphertext, .. tag];
        using var opener = new ObjectOpener(key);
        var opened = opener.Open(ObjectKind.Chunk, id, sealedObject, 16);
        if (!opened.AsSpan().SequenceEqual(plaintext))
        {
            Console.Error.WriteLine("The example does not open: the spec and the code disagree.");
            return 1;
        }

        Console.WriteLine($"purpose key     {Hex(key)}");
        Console.WriteLine($"session         {Hex(session)}");
        Console.WriteLine($"session key     {Hex(sessionKey)}   (BLAKE3)");
        Console.WriteLine($"nonce           {Hex(nonce)}");
        Console.WriteLine($"kind, id        Chunk (4), {Hex(id)}");
        Console.WriteLine($"AAD             {Hex(aad)}");
        Console.WriteLine($"inner plaintext {Hex(inner)}   (codec 0 || \"hello\")");
        Console.WriteLine($"ciphertext      {Hex(ciphertext)}   (BLAKE3)");
        Console.WriteLine($"tag             {Hex(tag)}   (BLAKE3)");
        Console.WriteLine($"sealed object   {Hex(sealedObject)}   ({sealedObject.Length} bytes)");
        return 0;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
