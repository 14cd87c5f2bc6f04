using ForgeOne.Core.Audit;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>
/// Every kind of tampering with a repository's audit log is found by <see cref="AuditLog.VerifyAsync"/>, with the first
/// bad sequence number and the right reason.
/// </summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private AuditTestContext _context = null!;

    public async Task InitializeAsync()
    {
        _context = await AuditTestContext.CreateAsync();
        await _context.AppendAsync(10);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Untouched_log_passes_with_every_record_checked()
    {
        var result = await _context.Log.VerifyAsync();

        Assert.True(result.Passed, result.Message);
        Assert.Equal(10, result.RecordsChecked);
        Assert.Equal(await _context.Log.GetHeadAsync(), result.Head);
        Assert.Null(result.FirstBadSequence);
        Assert.Equal(AuditFailureReason.None, result.Reason);
        Assert.Equal(_context.Log.PublicKey, result.TrustedKey);
    }

    [Fact]
    public async Task Empty_log_passes()
    {
        await using var empty = await AuditTestContext.CreateAsync();

        var result = await empty.Log.VerifyAsync();

        Assert.True(result.Passed, result.Message);
        Assert.Equal(0, result.RecordsChecked);
        Assert.Equal(AuditHead.Genesis, result.Head);
    }

    [Fact]
    public async Task Flipped_byte_in_a_stored_record_is_reported_as_modified_at_its_sequence()
    {
        var raw = await _context.ReadRawAsync(4);
        raw[raw.Length / 2] ^= 0x40;
        await _context.ReplaceRawAsync(4, raw);

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 4, AuditFailureReason.Modified);
        Assert.Contains("failed authentication", result.Message, StringComparison.Ordinal);
        Assert.Equal(3, result.RecordsChecked);
        Assert.Equal(3, result.Head.Sequence);
    }

    [Fact]
    public async Task Record_edited_and_resealed_with_the_data_key_but_its_old_hash_is_reported_as_modified()
    {
        var original = await _context.ReadRecordAsync(6);
        await _context.ResealAsync(6, original with { Actor = AuditTestContext.Bob });

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 6, AuditFailureReason.Modified);
        Assert.Contains("hash", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_edited_and_rehashed_but_keeping_its_old_signature_is_reported_as_bad_signature()
    {
        var original = await _context.ReadRecordAsync(6);
        var edited = original with { Outcome = AuditOutcome.Succeeded, Target = "/nothing/to/see" };
        await _context.ResealAsync(6, edited with { Hash = edited.ComputeHash() });

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 6, AuditFailureReason.BadSignature);
    }

    [Fact]
    public async Task Record_re_signed_with_another_key_is_reported_as_bad_signature()
    {
        using var otherKey = AuditSigningKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var original = await _context.ReadRecordAsync(5);
        await _context.ResealAsync(5, AuditTestContext.Resign(original with { Operation = AuditOperations.Verify }, otherKey));

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 5, AuditFailureReason.BadSignature);
        Assert.Contains(_context.Log.PublicKey.Hex, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whole_log_re_signed_with_another_key_fails_from_record_one()
    {
        using var otherKey = AuditSigningKey.FromSeed(new byte[32]);
        var previous = AuditHead.GenesisHash;
        for (var sequence = 1; sequence <= 10; sequence++)
        {
            var record = AuditTestContext.Resign((await _context.ReadRecordAsync(sequence)) with { PreviousHash = previous }, otherKey);
            await _context.ResealAsync(sequence, record);
            previous = record.Hash;
        }

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 1, AuditFailureReason.BadSignature);
        Assert.Equal(0, result.RecordsChecked);
    }

    [Fact]
    public async Task Verifying_with_a_trusted_key_other_than_the_signing_key_fails_as_bad_signature()
    {
        using var otherKey = AuditSigningKey.FromSeed(new byte[32]);

        var result = await _context.Log.VerifyAsync(trustedKey: otherKey.PublicKey);

        AssertFailure(result, 1, AuditFailureReason.BadSignature);
        Assert.Equal(otherKey.PublicKey, result.TrustedKey);
    }

    [Fact]
    public async Task Record_replaced_by_a_master_key_holder_is_caught_by_its_successors_link()
    {
        // Threat model: the signing key derives from the master key, so a key holder can re-sign one record; the next
        // record's signature still covers the old record's hash.
        using var trueKey = _context.DeriveTrueSigningKey();
        var original = await _context.ReadRecordAsync(7);
        await _context.ResealAsync(7, AuditTestContext.Resign(original with { Target = "/somewhere/harmless" }, trueKey));

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 7, AuditFailureReason.Modified);
        Assert.Contains("replaced", result.Message, StringComparison.Ordinal);
        Assert.Equal(6, result.RecordsChecked);
        Assert.Equal(6, result.Head.Sequence);
    }

    [Fact]
    public async Task Deleted_record_is_reported_as_removed()
    {
        await _context.DeleteAsync(4);

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 4, AuditFailureReason.Removed);
        Assert.Equal(3, result.RecordsChecked);
    }

    [Fact]
    public async Task Two_swapped_records_are_reported_as_reordered_at_the_first_out_of_place()
    {
        await _context.SwapAsync(3, 5);

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 3, AuditFailureReason.Reordered);
        Assert.Equal(2, result.RecordsChecked);
    }

    [Fact]
    public async Task Record_replaced_by_a_copy_of_another_is_reported_as_removed()
    {
        await _context.ReplaceRawAsync(4, await _context.ReadRawAsync(5));

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 4, AuditFailureReason.Removed);
    }

    [Fact]
    public async Task Record_moved_to_another_name_is_reported_as_reordered()
    {
        var raw = await _context.ReadRawAsync(10);
        await _context.DeleteAsync(10);
        await _context.Backend.WriteOnceAsync(RepositoryPaths.AuditRecord(11), raw);

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 10, AuditFailureReason.Reordered);
        Assert.Contains("slot 11", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_tail_passes_without_an_anchor_and_fails_against_a_snapshot_anchor()
    {
        var anchor = await _context.Log.GetHeadAsync();
        await AuditLogTests.SaveSnapshotAsync(_context.Repository, anchor);
        for (var sequence = 8; sequence <= 10; sequence++)
        {
            await _context.DeleteAsync(sequence);
        }

        var unanchored = await _context.Log.VerifyAsync();
        var anchored = await _context.Log.VerifyAsync(await AuditLog.ReadSnapshotAnchorsAsync(_context.Repository));

        Assert.True(unanchored.Passed, unanchored.Message);
        Assert.Equal(7, unanchored.RecordsChecked);
        AssertFailure(anchored, 8, AuditFailureReason.Truncated);
        Assert.Contains(anchor.ToString(), anchored.Message, StringComparison.Ordinal);
        Assert.Equal(7, anchored.Head.Sequence);
    }

    [Fact]
    public async Task Truncated_tail_fails_against_a_head_given_by_the_caller()
    {
        var anchor = await _context.Log.GetHeadAsync();
        await _context.DeleteAsync(10);

        var result = await _context.Log.VerifyAsync([AuditHead.Parse(anchor.ToString())]);

        AssertFailure(result, 10, AuditFailureReason.Truncated);
    }

    [Fact]
    public async Task Truncated_and_regrown_log_fails_at_the_anchor_whose_record_was_replaced()
    {
        var anchor = await _context.Log.GetHeadAsync();
        await _context.DeleteAsync(9);
        await _context.DeleteAsync(10);
        using (var fresh = AuditLog.Open(_context.Repository))
        {
            for (var i = 0; i < 3; i++)
            {
                await fresh.AppendAsync(AuditTestContext.Event(100 + i));
            }
        }

        var unanchored = await _context.Log.VerifyAsync();
        var anchored = await _context.Log.VerifyAsync([anchor]);

        Assert.True(unanchored.Passed, unanchored.Message);
        Assert.Equal(11, unanchored.RecordsChecked);
        AssertFailure(anchored, 10, AuditFailureReason.Truncated);
    }

    [Fact]
    public async Task Anchors_below_the_head_that_match_pass()
    {
        var early = (await _context.ReadRecordAsync(3)).Head;
        var head = await _context.Log.GetHeadAsync();

        var result = await _context.Log.VerifyAsync([early, head, AuditHead.Genesis]);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public async Task Replaced_published_key_is_reported_as_key_mismatch()
    {
        using var otherKey = AuditSigningKey.FromSeed(new byte[32]);
        await _context.Backend.DeleteAsync(RepositoryPaths.AuditKey);
        await _context.Backend.WriteOnceAsync(RepositoryPaths.AuditKey, RepositoryAuditStorage.FormatKeyObject(otherKey.PublicKey));

        var result = await _context.Log.VerifyAsync();

        Assert.False(result.Passed);
        Assert.Equal(AuditFailureReason.KeyMismatch, result.Reason);
        Assert.Null(result.FirstBadSequence);
        Assert.Equal(10, result.RecordsChecked);
    }

    [Fact]
    public async Task The_first_of_several_tamperings_is_reported()
    {
        await _context.DeleteAsync(8);
        await _context.SwapAsync(2, 3);

        var result = await _context.Log.VerifyAsync();

        AssertFailure(result, 2, AuditFailureReason.Reordered);
    }

    private static void AssertFailure(AuditVerification result, long sequence, AuditFailureReason reason)
    {
        Assert.False(result.Passed, "verification passed; expected " + reason);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(sequence, result.FirstBadSequence);
        Assert.Contains($"ecord {sequence}", result.Message, StringComparison.Ordinal);
    }
}
