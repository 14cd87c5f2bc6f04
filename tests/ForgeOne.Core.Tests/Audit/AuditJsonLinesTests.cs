using System.Text;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>The SIEM export: one JSON object a line, parseable by anyone, verifiable with only the public key.</summary>
public sealed class AuditJsonLinesTests : IAsyncLifetime
{
    private AuditTestContext _context = null!;
    private IReadOnlyList<AuditRecord> _records = null!;

    public async Task InitializeAsync()
    {
        _context = await AuditTestContext.CreateAsync();
        _records = await _context.AppendAsync(6);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Every_line_is_a_json_object_with_the_documented_fields()
    {
        var lines = await ExportLinesAsync();

        Assert.Equal(6, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var document = JsonDocument.Parse(lines[i]);
            var root = document.RootElement;
            Assert.Equal(
                ["version", "sequence", "time", "actor", "operation", "target", "parameters", "outcome", "error", "relatedIds",
                    "previousHash", "hash", "signature"],
                root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(1, root.GetProperty("version").GetInt32());
            Assert.Equal(i + 1, root.GetProperty("sequence").GetInt64());
            Assert.Equal(_records[i].Time, root.GetProperty("time").GetDateTimeOffset());
            Assert.Equal("alice", root.GetProperty("actor").GetProperty("user").GetString());
            Assert.Equal("build01", root.GetProperty("actor").GetProperty("host").GetString());
            Assert.Equal(4242, root.GetProperty("actor").GetProperty("processId").GetInt32());
            Assert.Equal("pwsh", root.GetProperty("actor").GetProperty("processName").GetString());
            Assert.Equal(AuditOperations.Backup, root.GetProperty("operation").GetString());
            Assert.Equal($"/data/set{i + 1}", root.GetProperty("target").GetString());
            Assert.Equal($"t{i + 1}", root.GetProperty("parameters").GetProperty("tag").GetString());
            Assert.Equal("succeeded", root.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
            Assert.Equal(_records[i].RelatedIds, root.GetProperty("relatedIds").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(_records[i].PreviousHash, root.GetProperty("previousHash").GetString());
            Assert.Equal(_records[i].Hash, root.GetProperty("hash").GetString());
            Assert.Equal(128, root.GetProperty("signature").GetString()!.Length);
        }
    }

    [Fact]
    public async Task Lines_parse_back_into_the_same_records()
    {
        using var export = await ExportAsync();

        var parsed = new List<AuditRecord>();
        await foreach (var record in AuditJsonLines.ReadAsync(export))
        {
            parsed.Add(record);
        }

        Assert.Equal(_records.Select(r => Convert.ToHexString(r.ToJson())), parsed.Select(r => Convert.ToHexString(r.ToJson())));
    }

    [Fact]
    public async Task Export_verifies_with_only_the_published_public_key()
    {
        var publicKey = AuditPublicKey.Parse((await RepositoryAuditStorage.ReadPublishedKeyAsync(_context.Backend))!.Hex);
        using var export = await ExportAsync();

        var result = await AuditJsonLines.VerifyAsync(export, publicKey, [_records[^1].Head]);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(6, result.RecordsChecked);
    }

    [Fact]
    public async Task Edited_line_is_reported_as_modified()
    {
        var lines = await ExportLinesAsync();
        lines[2] = lines[2].Replace("\"user\":\"alice\"", "\"user\":\"mallory\"", StringComparison.Ordinal);

        var result = await VerifyLinesAsync(lines);

        Assert.Equal((false, AuditFailureReason.Modified, 3L), (result.Passed, result.Reason, result.FirstBadSequence));
    }

    [Fact]
    public async Task Line_that_is_not_a_record_is_reported_as_modified()
    {
        var lines = await ExportLinesAsync();
        lines[3] = lines[3][..40];

        var result = await VerifyLinesAsync(lines);

        Assert.Equal((false, AuditFailureReason.Modified, 4L), (result.Passed, result.Reason, result.FirstBadSequence));
        Assert.Contains("line 4", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_line_is_reported_as_removed()
    {
        var lines = (await ExportLinesAsync()).ToList();
        lines.RemoveAt(1);

        var result = await VerifyLinesAsync(lines);

        Assert.Equal((false, AuditFailureReason.Removed, 2L), (result.Passed, result.Reason, result.FirstBadSequence));
    }

    [Fact]
    public async Task Swapped_lines_are_reported_as_reordered()
    {
        var lines = await ExportLinesAsync();
        (lines[3], lines[4]) = (lines[4], lines[3]);

        var result = await VerifyLinesAsync(lines);

        Assert.Equal((false, AuditFailureReason.Reordered, 4L), (result.Passed, result.Reason, result.FirstBadSequence));
    }

    [Fact]
    public async Task Cut_export_is_reported_as_truncated_against_an_anchor()
    {
        var lines = await ExportLinesAsync();

        var result = await VerifyLinesAsync(lines[..4], [_records[^1].Head]);

        Assert.Equal((false, AuditFailureReason.Truncated, 5L), (result.Passed, result.Reason, result.FirstBadSequence));
    }

    [Fact]
    public async Task In_memory_records_verify_the_same_way()
    {
        using var otherKey = AuditSigningKey.FromSeed(new byte[32]);

        Assert.True(AuditVerifier.Verify(_records, _context.Log.PublicKey).Passed);
        var bad = AuditVerifier.Verify(_records, otherKey.PublicKey);
        Assert.Equal((AuditFailureReason.BadSignature, 1L), (bad.Reason, bad.FirstBadSequence));
        var edited = _records.Select(r => r.Sequence == 2 ? r with { Target = "elsewhere" } : r);
        Assert.Equal(2L, AuditVerifier.Verify(edited, _context.Log.PublicKey).FirstBadSequence);
    }

    [Fact]
    public void Malformed_record_json_is_refused()
    {
        var json = Encoding.UTF8.GetString(_records[0].ToJson());

        Assert.Throws<MalformedObjectException>(() => AuditRecord.Parse(Encoding.UTF8.GetBytes(json.Replace("\"outcome\":\"succeeded\"", "\"outcome\":\"ok\"", StringComparison.Ordinal))));
        Assert.Throws<MalformedObjectException>(() => AuditRecord.Parse(Encoding.UTF8.GetBytes(json.Replace("\"sequence\":1,", "\"sequence\":1,\"sequence\":2,", StringComparison.Ordinal))));
        Assert.Throws<MalformedObjectException>(() => AuditRecord.Parse(Encoding.UTF8.GetBytes(json.Replace(",\"error\":null", "", StringComparison.Ordinal))));
        Assert.Throws<MalformedObjectException>(() => AuditRecord.Parse(Encoding.UTF8.GetBytes(json.Replace("Z\"", "+01:00\"", StringComparison.Ordinal))));
        Assert.Throws<UnsupportedFormatException>(() => AuditRecord.Parse(Encoding.UTF8.GetBytes(json.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal))));
    }

    private async Task<MemoryStream> ExportAsync()
    {
        var export = new MemoryStream();
        Assert.Equal(6, await AuditJsonLines.WriteAsync(export, _context.Log.QueryAsync()));
        export.Position = 0;
        return export;
    }

    private async Task<string[]> ExportLinesAsync()
    {
        using var export = await ExportAsync();
        var text = Encoding.UTF8.GetString(export.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }

    private Task<AuditVerification> VerifyLinesAsync(IEnumerable<string> lines, IEnumerable<AuditHead>? anchors = null)
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        return AuditJsonLines.VerifyAsync(stream, _context.Log.PublicKey, anchors);
    }
}
