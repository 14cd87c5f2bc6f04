using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

public sealed class KeySlotTests : IDisposable
{
    // Argon2's minimum costs keep the tests fast; production uses Argon2Parameters.Default.
    internal static readonly Argon2Parameters Fast = new(memoryKiB: 64, iterations: 1, parallelism: 1);

    private const string Passphrase = "correct horse battery staple";

    private readonly MasterKey _master = MasterKey.Generate();

    public void Dispose() => _master.Dispose();

    [Fact]
    public void Passphrase_slot_unlocks_with_its_passphrase()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase, Fast);

        Assert.True(slot.TryUnlockWithPassphrase(Passphrase, out var unlocked));
        using (unlocked)
        {
            Assert.Equal(_master.Bytes.ToArray(), unlocked.Bytes.ToArray());
        }
    }

    [Fact]
    public void Wrong_passphrase_does_not_unlock()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase, Fast);

        Assert.False(slot.TryUnlockWithPassphrase("Correct horse battery staple", out var unlocked));
        Assert.Null(unlocked);
    }

    [Fact]
    public void Key_file_slot_unlocks_with_its_key_file_only()
    {
        var keyFile = RandomNumberGenerator.GetBytes(32);
        var slot = KeySlot.CreateForKeyFile(_master, keyFile);

        Assert.True(slot.TryUnlockWithKeyFile(keyFile, out var unlocked));
        unlocked.Dispose();
        Assert.False(slot.TryUnlockWithKeyFile(RandomNumberGenerator.GetBytes(32), out _));
        Assert.False(slot.TryUnlockWithPassphrase(Passphrase, out _));
        Assert.Throws<ArgumentException>(() => slot.TryUnlockWithKeyFile(new byte[31], out _));
    }

    [Fact]
    public void Passphrase_slot_ignores_key_files()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase, Fast);

        Assert.False(slot.TryUnlockWithKeyFile(new byte[32], out _));
    }

    [Fact]
    public void Default_argon2_costs_follow_owasp()
    {
        Assert.Equal(19456, Argon2Parameters.Default.MemoryKiB);
        Assert.Equal(2, Argon2Parameters.Default.Iterations);
        Assert.Equal(1, Argon2Parameters.Default.Parallelism);
    }

    [Fact]
    public void Slot_made_with_default_costs_unlocks()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase);

        Assert.Equal(Argon2Parameters.Default, slot.Argon2);
        Assert.True(KeySlot.Parse(slot.ToJson()).TryUnlockWithPassphrase(Passphrase, out var unlocked));
        unlocked.Dispose();
    }

    [Fact]
    public void Passphrase_is_compared_in_unicode_normal_form()
    {
        var slot = KeySlot.CreateForPassphrase(_master, "caf\u00e9 cr\u00e8me", Fast);

        Assert.True(slot.TryUnlockWithPassphrase("cafe\u0301 cre\u0300me", out var unlocked));
        unlocked.Dispose();
    }

    [Fact]
    public void Empty_passphrase_is_refused()
    {
        Assert.Throws<ArgumentException>(() => KeySlot.CreateForPassphrase(_master, "", Fast));
    }

    [Fact]
    public void Json_round_trip_keeps_every_field_and_still_unlocks()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase, Fast);

        var parsed = KeySlot.Parse(slot.ToJson());

        Assert.Equal(slot.Id, parsed.Id);
        Assert.Equal(KeySlotKind.Passphrase, parsed.Kind);
        Assert.Equal(slot.Created, parsed.Created);
        Assert.Equal(slot.Host, parsed.Host);
        Assert.Equal(slot.User, parsed.User);
        Assert.Equal(Fast, parsed.Argon2);
        Assert.Equal(KeySlotCapabilities.Read | KeySlotCapabilities.Write, parsed.Capabilities);
        Assert.Equal(slot.ToJson(), parsed.ToJson());
        Assert.True(parsed.TryUnlockWithPassphrase(Passphrase, out var unlocked));
        unlocked.Dispose();
    }

    [Fact]
    public void Json_has_the_documented_fields_and_nothing_secret()
    {
        var slot = KeySlot.CreateForPassphrase(_master, Passphrase, Fast);
        var text = Encoding.UTF8.GetString(slot.ToJson());
        var json = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(
            ["version", "id", "kind", "created", "host", "user", "capabilities", "argon2", "wrapped"],
            json.Select(p => p.Key).ToArray());
        Assert.Equal(1, (int)json["version"]!);
        Assert.Matches("^[0-9a-f]{16}$", (string)json["id"]!);
        Assert.Equal("passphrase-argon2id", (string)json["kind"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)json["created"]!);
        Assert.Equal(["read", "write"], json["capabilities"]!.AsArray().Select(c => (string)c!).ToArray());
        Assert.Equal(64, (int)json["argon2"]!["memoryKiB"]!);
        Assert.Equal(16, Convert.FromBase64String((string)json["argon2"]!["salt"]!).Length);
        Assert.Equal(Envelope.Overhead + 32, Convert.FromBase64String((string)json["wrapped"]!).Length);
        Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(_master.Bytes), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(_master.Bytes), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Key_file_slot_json_has_no_argon2()
    {
        var slot = KeySlot.CreateForKeyFile(_master, RandomNumberGenerator.GetBytes(32));
        var json = JsonNode.Parse(slot.ToJson())!.AsObject();

        Assert.Equal("key-file", (string)json["kind"]!);
        Assert.False(json.ContainsKey("argon2"));
        Assert.Null(KeySlot.Parse(slot.ToJson()).Argon2);
    }

    [Theory]
    [InlineData("wrapped")]
    [InlineData("salt")]
    [InlineData("id")]
    public void Tampered_slot_does_not_unlock(string field)
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        switch (field)
        {
            case "wrapped":
                var wrapped = Convert.FromBase64String((string)json["wrapped"]!);
                wrapped[^5] ^= 1;
                json["wrapped"] = Convert.ToBase64String(wrapped);
                break;
            case "salt":
                var salt = Convert.FromBase64String((string)json["argon2"]!["salt"]!);
                salt[0] ^= 1;
                json["argon2"]!["salt"] = Convert.ToBase64String(salt);
                break;
            default:
                // The id is bound into the wrapped key's associated data: a slot cannot be renamed.
                var id = (string)json["id"]!;
                json["id"] = (id[0] == '0' ? "1" : "0") + id[1..];
                break;
        }

        var slot = KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.False(slot.TryUnlockWithPassphrase(Passphrase, out _));
    }

    [Theory]
    [InlineData("memoryKiB", 4L * 1024 * 1024 + 1)]
    [InlineData("memoryKiB", 1L << 40)]
    [InlineData("memoryKiB", 7)]
    [InlineData("iterations", 0)]
    [InlineData("iterations", 1_000_000)]
    [InlineData("parallelism", 0)]
    [InlineData("parallelism", 1000)]
    public void Argon2_costs_out_of_range_on_disk_are_refused_before_running(string field, long value)
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        json["argon2"]![field] = value;

        var ex = Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())));

        Assert.Equal(ObjectKind.KeySlot, ex.Kind);
        Assert.Contains("Argon2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Argon2_parameters_outside_their_range_are_refused_in_code()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Parameters(Argon2Parameters.MaxMemoryKiB + 1, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Parameters(64, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Argon2Parameters(64, 1, 9));
    }

    [Theory]
    [InlineData("version", "2")]
    [InlineData("kind", "\"hardware-token\"")]
    [InlineData("capabilities", "[\"write\"]")]
    [InlineData("capabilities", "[\"read\",\"write\",\"admin\"]")]
    [InlineData("writeOnlyPublicKey", "\"AAAA\"")]
    public void Newer_slot_formats_are_refused_as_unsupported(string field, string value)
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        json[field] = JsonNode.Parse(value);

        var ex = Assert.Throws<UnsupportedFormatException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())));

        Assert.Equal(ObjectKind.KeySlot, ex.Kind);
        Assert.Contains("Upgrade ForgeOne", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Documents_that_are_not_slots_are_malformed(string text)
    {
        Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("id", "\"XYZ\"")]
    [InlineData("id", "42")]
    [InlineData("created", "\"yesterday\"")]
    [InlineData("wrapped", "\"AAAA\"")]
    [InlineData("wrapped", "\"not base64!\"")]
    [InlineData("capabilities", "[\"read\"]")]
    [InlineData("argon2", "null")]
    [InlineData("host", "null")]
    public void Fields_of_the_wrong_shape_are_malformed(string field, string value)
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        json[field] = JsonNode.Parse(value);

        Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())));
    }

    [Theory]
    [InlineData("wrapped")]
    [InlineData("argon2")]
    [InlineData("version")]
    [InlineData("user")]
    public void Missing_fields_are_malformed(string field)
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        json.Remove(field);

        var ex = Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_fields_are_malformed()
    {
        var text = Encoding.UTF8.GetString(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson());
        var duplicated = text.Replace("\"version\": 1,", "\"version\": 1, \"kind\": \"key-file\",", StringComparison.Ordinal);

        var ex = Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(duplicated)));
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_documents_are_refused_unread()
    {
        var huge = new byte[KeySlot.MaxJsonLength + 1];
        huge.AsSpan().Fill((byte)' ');

        Assert.Throws<MalformedObjectException>(() => KeySlot.Parse(huge));
    }

    [Fact]
    public void Wrapped_key_in_a_newer_envelope_version_is_unsupported()
    {
        var json = JsonNode.Parse(KeySlot.CreateForPassphrase(_master, Passphrase, Fast).ToJson())!.AsObject();
        var wrapped = Convert.FromBase64String((string)json["wrapped"]!);
        wrapped[0] = 2;
        json["wrapped"] = Convert.ToBase64String(wrapped);

        Assert.Throws<UnsupportedFormatException>(() => KeySlot.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())));
    }

    [Fact]
    public void Slot_ids_are_random()
    {
        var first = KeySlot.CreateForKeyFile(_master, new byte[32]);
        var second = KeySlot.CreateForKeyFile(_master, new byte[32]);

        Assert.NotEqual(first.Id, second.Id);
        Assert.DoesNotContain(Convert.ToHexString(_master.Bytes), first.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
