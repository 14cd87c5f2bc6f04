using System.Text;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Retention;

/// <summary>
/// The policy objects of a repository: every version of its retention policy and its legal holds, each a sealed
/// write-once object, so runbooks just call <c>Invoke-ForgeRetention</c> and every change stays on record.
/// </summary>
/// <remarks>
/// <para>Policy versions are <c>policy/retention/&lt;version, 20 digits&gt;</c>, the highest in force
/// (<see cref="VersionedObjects{T}"/>).</para>
/// <para>Holds are <c>holds/&lt;snapshot id&gt;</c>. Setting one that stands already returns it unchanged; clearing
/// deletes the object.</para>
/// </remarks>
public sealed class RepositoryPolicies
{
    /// <summary>Where retention policy versions are kept.</summary>
    public const string RetentionPrefix = "policy/retention/";

    /// <summary>Where legal holds are kept.</summary>
    public const string HoldsPrefix = "holds/";

    private const int MaxObjectLength = 64 * 1024;

    private readonly Repository.Repository _repository;
    private readonly VersionedObjects<RetentionPolicyVersion> _retention;

    /// <summary>Wraps an open repository.</summary>
    /// <param name="repository">The repository.</param>
    public RepositoryPolicies(Repository.Repository repository)
    {
        _repository = repository;
        _retention = new VersionedObjects<RetentionPolicyVersion>(repository, RetentionPrefix, RetentionJson.Default.RetentionPolicyVersion);
    }

    /// <summary>The retention policy in force, or null when none was ever set.</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The newest version, or null.</returns>
    public Task<RetentionPolicyVersion?> GetRetentionPolicyAsync(CancellationToken cancellationToken = default) =>
        _retention.GetLatestAsync(cancellationToken);

    /// <summary>Every version of the retention policy, oldest first.</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The versions.</returns>
    public Task<IReadOnlyList<RetentionPolicyVersion>> GetRetentionHistoryAsync(CancellationToken cancellationToken = default) =>
        _retention.GetAllAsync(cancellationToken);

    /// <summary>Stores a new version of the retention policy, which is in force from then on.</summary>
    /// <param name="policy">The policy; validated first.</param>
    /// <param name="changedBy">Who sets it.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The stored version.</returns>
    /// <exception cref="ArgumentException">The policy is invalid or keeps nothing.</exception>
    public Task<RetentionPolicyVersion> SetRetentionPolicyAsync(RetentionPolicy policy, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        policy.Validate();
        return RecordAsync(_retention.AddAsync(version => new RetentionPolicyVersion { Version = version, Policy = policy, ChangedBy = changedBy, ChangedAt = DateTimeOffset.UtcNow }, cancellationToken),
            version => new AuditEvent
            {
                Operation = AuditOperations.PolicyChange,
                Target = "retention policy",
                Parameters = new Dictionary<string, string> { ["policy"] = policy.ToString(), ["version"] = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["changedBy"] = changedBy },
            }, cancellationToken);
    }

    /// <summary>Every standing legal hold, by snapshot id.</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The holds.</returns>
    public async Task<IReadOnlyDictionary<string, LegalHold>> GetHoldsAsync(CancellationToken cancellationToken = default)
    {
        var holds = new Dictionary<string, LegalHold>(StringComparer.Ordinal);
        foreach (var name in await _repository.Backend.ListNamesAsync(HoldsPrefix, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var hold = await ReadHoldAsync(name, cancellationToken).ConfigureAwait(false);
                holds[hold.SnapshotId] = hold;
            }
            catch (StorageObjectNotFoundException)
            {
                // Cleared since the listing.
            }
        }

        return holds;
    }

    /// <summary>Puts a snapshot under legal hold; a hold that stands already is returned unchanged.</summary>
    /// <param name="snapshotId">The snapshot's full id.</param>
    /// <param name="reason">Why, for example a case number.</param>
    /// <param name="setBy">Who sets it.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The hold that stands.</returns>
    public async Task<LegalHold> SetHoldAsync(string snapshotId, string reason, string setBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(setBy);
        var name = HoldsPrefix + snapshotId;
        var hold = new LegalHold { SnapshotId = snapshotId, Reason = reason, SetBy = setBy, SetAt = DateTimeOffset.UtcNow };
        try
        {
            await _repository.WriteSealedObjectAsync(name, ObjectKind.Policy, Encoding.ASCII.GetBytes(name),
                JsonSerializer.SerializeToUtf8Bytes(hold, RetentionJson.Default.LegalHold), cancellationToken).ConfigureAwait(false);
            await AuditTrail.TryRecordAsync(_repository, new AuditEvent
            {
                Operation = AuditOperations.HoldSet,
                Target = "snapshot " + snapshotId,
                Parameters = new Dictionary<string, string> { ["reason"] = reason, ["setBy"] = setBy },
                RelatedIds = [snapshotId],
            }, cancellationToken).ConfigureAwait(false);
            return hold;
        }
        catch (ObjectExistsException)
        {
            return await ReadHoldAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lifts a legal hold.</summary>
    /// <param name="snapshotId">The snapshot's full id.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The hold lifted, or null when there was none.</returns>
    public async Task<LegalHold?> ClearHoldAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        var name = HoldsPrefix + snapshotId;
        LegalHold hold;
        try
        {
            hold = await ReadHoldAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageObjectNotFoundException)
        {
            return null;
        }

        await _repository.Backend.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(_repository, new AuditEvent
        {
            Operation = AuditOperations.HoldClear,
            Target = "snapshot " + snapshotId,
            Parameters = new Dictionary<string, string> { ["reason"] = hold.Reason },
            RelatedIds = [snapshotId],
        }, cancellationToken).ConfigureAwait(false);
        return hold;
    }

    private async Task<T> RecordAsync<T>(Task<T> change, Func<T, AuditEvent> describe, CancellationToken cancellationToken)
    {
        var result = await change.ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(_repository, describe(result), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<LegalHold> ReadHoldAsync(string name, CancellationToken cancellationToken)
    {
        var json = await _repository.ReadSealedObjectAsync(name, ObjectKind.Policy, Encoding.ASCII.GetBytes(name), MaxObjectLength, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(json, RetentionJson.Default.LegalHold)
            ?? throw new MalformedObjectException(ObjectKind.Policy, name, "it holds no hold");
    }
}
