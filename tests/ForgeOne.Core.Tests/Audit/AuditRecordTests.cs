using System.Text;
using ForgeOne.Core.Audit;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>The record format of docs/design.md ("Audit log"): canonical bytes, hash and signature.</summary>
public sealed class AuditRecordTests
{
    // The design document's example, byte for byte: seed = bytes 0 to 31, the first record of a log.
    private const string ExamplePublicKey = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    private const string ExampleJson =
        """
        {"version":1,"sequence":1,"time":"2026-11-24T10:00:00.0000000Z","actor":{"user":"alice","host":"build01","processId":4242,"processName":"pwsh"},"operation":"backup.create","target":"/home/alice","parameters":{"paths":"/home/alice","tags":"daily"},"outcome":"succeeded","error":null,"relatedIds":["9b1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5"],"previousHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"36b72bbcadb4df66fe1b42b0c415887ed48b060f3575a13c823da103884ea8ad","signature":"20c1fc805c519bffe313eeded81ad2b5ec08cf6d574c9fa24fc6b2be9a54888a9cad7a60ac6c3c9e9e763f7c8fff75029811897deaa3fc0549d3386b33624703"}
        """;

    [Fact]
    public void Design_document_example_is_the_canonical_form()
    {
        using var key = AuditSigningKey.FromSeed(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var record = AuditRecord.Create(new AuditEvent
        {
            Operation = AuditOperations.Backup,
            Target = "/home/alice",
            Parameters = new Dictionary<string, string> { ["tags"] = "daily", ["paths"] = "/home/alice" },
            RelatedIds = ["9b1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5"],
        }, AuditHead.Genesis, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), AuditTestContext.Alice, key);

        Assert.Equal(ExamplePublicKey, key.PublicKey.Hex);
        Assert.Equal(ExampleJson, Encoding.UTF8.GetString(record.ToJson()));
        var canonical = Encoding.UTF8.GetString(record.GetCanonicalBytes());
        Assert.Equal(ExampleJson[..ExampleJson.IndexOf(",\"hash\":", StringComparison.Ordinal)] + "}", canonical);
        Assert.Equal(Convert.ToHexStringLower(ForgeOne.Core.Crypto.Blake3.Hash(record.GetCanonicalBytes())), record.Hash);
        Assert.True(key.PublicKey.Verify(Convert.FromHexString(record.Hash), Convert.FromHexString(record.Signature)));
        Assert.True(AuditVerifier.Verify([AuditRecord.Parse(Encoding.UTF8.GetBytes(ExampleJson))], key.PublicKey).Passed);
    }

    [Fact]
    public void Strings_are_escaped_by_the_canonical_rule_in_names_and_values()
    {
        using var key = AuditSigningKey.FromSeed(new byte[32]);
        var record = AuditRecord.Create(new AuditEvent
        {
            Operation = "op",
            Target = "<é\"\\\u0001>",
            Parameters = new Dictionary<string, string> { ["<n\u001f>"] = "'&'" },
        }, AuditHead.Genesis, AuditTestContext.Start, AuditTestContext.Alice, key);

        var json = Encoding.UTF8.GetString(record.GetCanonicalBytes());

        Assert.Contains("\"target\":\"<é\\\"\\\\\\u0001>\"", json, StringComparison.Ordinal);
        Assert.Contains("\"parameters\":{\"<n\\u001f>\":\"'&'\"}", json, StringComparison.Ordinal);
        Assert.Equal(record.Hash, AuditRecord.Parse(record.ToJson()).ComputeHash());
    }

    [Fact]
    public void Signature_covers_the_hash_so_any_field_change_is_caught()
    {
        using var key = AuditSigningKey.FromSeed(new byte[32]);
        var record = AuditRecord.Create(AuditTestContext.Event(1), AuditHead.Genesis, AuditTestContext.Start, AuditTestContext.Alice, key);

        Assert.NotEqual(record.Hash, (record with { Sequence = 2 }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { Time = record.Time.AddTicks(1) }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { Actor = record.Actor with { ProcessId = 1 } }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { Outcome = AuditOutcome.Denied }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { Error = "" }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { RelatedIds = [] }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { Parameters = new Dictionary<string, string>() }).ComputeHash());
        Assert.NotEqual(record.Hash, (record with { PreviousHash = new string('1', 64) }).ComputeHash());
        Assert.Equal(record.Hash, (record with { Signature = "" }).ComputeHash());
    }

    [Theory]
    [InlineData("")]
    [InlineData("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531")]
    [InlineData("zza107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Text_that_is_not_an_ed25519_public_key_is_refused(string hex)
    {
        Assert.False(AuditPublicKey.TryParse(hex, out _));
        Assert.Throws<FormatException>(() => AuditPublicKey.Parse(hex));
    }

    [Fact]
    public void Public_keys_parse_in_either_case_and_compare_by_value()
    {
        var key = AuditPublicKey.Parse(ExamplePublicKey.ToUpperInvariant());

        Assert.Equal(ExamplePublicKey, key.ToString());
        Assert.Equal(AuditPublicKey.Parse(ExamplePublicKey), key);
        Assert.False(key.Verify(new byte[32], new byte[63]));
    }
}
