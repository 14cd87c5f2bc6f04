using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

public sealed class KeyRingTests
{
    private const string Location = "file:///backups/repo";
    private const string Passphrase = "hunter2 but much longer";

    [Fact]
    public void Adding_a_key_file_and_removing_the_passphrase_keeps_old_objects_readable()
    {
        byte[] sealedObject;
        KeyRing ring;
        using (var master = MasterKey.Generate())
        {
            ring = new KeyRing(Location, [KeySlot.CreateForPassphrase(master, Passphrase, KeySlotTests.Fast)]);
            using var sealer = master.CreateSealer(KeyPurpose.DataEncryption);
            sealedObject = sealer.Seal(ObjectKind.Snapshot, [1, 2], "snapshot body"u8);
        }

        var keyFile = RandomNumberGenerator.GetBytes(KeyFile.Size);
        using (var unlocked = ring.Unlock(Passphrase))
        {
            ring.Add(KeySlot.CreateForKeyFile(unlocked, keyFile));
        }

        Assert.True(ring.Remove(ring.Slots.Single(s => s.Kind == KeySlotKind.Passphrase).Id));

        // Reload from JSON as the repository layer would.
        var reloaded = new KeyRing(Location, ring.Slots.Select(s => KeySlot.Parse(s.ToJson())));
        using (var master = reloaded.UnlockWithKeyFile(keyFile))
        using (var opener = master.CreateOpener(KeyPurpose.DataEncryption))
        {
            Assert.Equal("snapshot body"u8.ToArray(), opener.Open(ObjectKind.Snapshot, [1, 2], sealedObject, 100));
        }

        Assert.Throws<WrongCredentialsException>(() => reloaded.Unlock(Passphrase));
    }

    [Fact]
    public void Every_slot_is_tried()
    {
        using var master = MasterKey.Generate();
        var ring = new KeyRing(Location,
        [
            KeySlot.CreateForPassphrase(master, "first passphrase", KeySlotTests.Fast),
            KeySlot.CreateForKeyFile(master, new byte[32]),
            KeySlot.CreateForPassphrase(master, "second passphrase", KeySlotTests.Fast),
        ]);

        using var viaFirst = ring.Unlock("first passphrase");
        using var viaSecond = ring.Unlock("second passphrase");

        Assert.Equal(master.Bytes.ToArray(), viaFirst.Bytes.ToArray());
        Assert.Equal(master.Bytes.ToArray(), viaSecond.Bytes.ToArray());
    }

    [Fact]
    public void Wrong_passphrase_throws_without_revealing_it()
    {
        using var master = MasterKey.Generate();
        var ring = new KeyRing(Location, [KeySlot.CreateForPassphrase(master, Passphrase, KeySlotTests.Fast)]);

        var ex = Assert.Throws<WrongCredentialsException>(() => ring.Unlock("a wrong passphrase 12345"));

        Assert.Contains(Location, ex.Message, StringComparison.Ordinal);
        Assert.Contains("FORGE_PASSPHRASE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a wrong passphrase 12345", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ring.Slots[0].Id, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<KeyException>(ex);
    }

    [Fact]
    public void Wrong_key_file_throws_with_key_file_advice()
    {
        using var master = MasterKey.Generate();
        var ring = new KeyRing(Location, [KeySlot.CreateForKeyFile(master, new byte[32])]);
        var wrongKeyFile = RandomNumberGenerator.GetBytes(32);

        var ex = Assert.Throws<WrongCredentialsException>(() => ring.UnlockWithKeyFile(wrongKeyFile));

        Assert.Equal(KeySlotKind.KeyFile, ex.Attempted);
        Assert.Contains("key file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(wrongKeyFile), ex.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(master.Bytes), ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Tampered_slot_fails_like_a_wrong_passphrase()
    {
        using var master = MasterKey.Generate();
        var json = KeySlot.CreateForPassphrase(master, Passphrase, KeySlotTests.Fast).ToJson();
        var text = System.Text.Encoding.UTF8.GetString(json);
        var wrapped = System.Text.Json.Nodes.JsonNode.Parse(text)!["wrapped"]!.GetValue<string>();
        var bytes = Convert.FromBase64String(wrapped);
        bytes[40] ^= 0x80;
        var tampered = text.Replace(wrapped, Convert.ToBase64String(bytes), StringComparison.Ordinal);
        var ring = new KeyRing(Location, [KeySlot.Parse(System.Text.Encoding.UTF8.GetBytes(tampered))]);

        Assert.Throws<WrongCredentialsException>(() => ring.Unlock(Passphrase));
    }

    [Fact]
    public void Last_slot_cannot_be_removed()
    {
        using var master = MasterKey.Generate();
        var slot = KeySlot.CreateForKeyFile(master, new byte[32]);
        var ring = new KeyRing(Location, [slot]);

        var ex = Assert.Throws<LastKeySlotException>(() => ring.Remove(slot.Id));

        Assert.Equal(slot.Id, ex.SlotId);
        Assert.Single(ring.Slots);
        Assert.False(ring.Remove("0000000000000000"));
    }

    [Fact]
    public void Same_slot_cannot_be_added_twice()
    {
        using var master = MasterKey.Generate();
        var slot = KeySlot.CreateForKeyFile(master, new byte[32]);

        Assert.Throws<ArgumentException>(() => new KeyRing(Location, [slot, slot]));
    }

    [Fact]
    public void Empty_ring_opens_nothing()
    {
        var ring = new KeyRing(Location, []);

        Assert.Throws<WrongCredentialsException>(() => ring.Unlock(Passphrase));
    }
}
