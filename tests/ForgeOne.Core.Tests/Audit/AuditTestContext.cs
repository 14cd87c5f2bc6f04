using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Tests.Repository;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>A real repository on a local folder with its audit log, and the tampering an attacker could do to it.</summary>
internal sealed class AuditTestContext : IAsyncDisposable
{
    public static readonly AuditActor Alice = new("alice", "build01", 4242, "pwsh");
    public static readonly AuditActor Bob = new("bob", "db02", 77, "forge");
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private readonly RepositoryTestContext _repositoryContext = new();

    private AuditTestContext()
    {
    }

    public ForgeRepository Repository { get; private set; } = null!;

    public AuditLog Log { get; private set; } = null!;

    public IStorageBackend Backend => _repositoryContext.Backend;

    public RepositoryTestContext RepositoryContext => _repositoryContext;

    public static async Task<AuditTestContext> CreateAsync()
    {
        var context = new AuditTestContext();
        context.Repository = await context._repositoryContext.InitAsync();
        context.Log = AuditLog.Open(context.Repository);
        return context;
    }

    public static AuditEvent Event(int i, AuditActor? actor = null, AuditOutcome outcome = AuditOutcome.Succeeded,
        string operation = AuditOperations.Backup) => new()
    {
        Operation = operation,
        Target = $"/data/set{i}",
        Parameters = new Dictionary<string, string> { ["tag"] = $"t{i}", ["paths"] = "/data" },
        Outcome = outcome,
        Error = outcome == AuditOutcome.Succeeded ? null : $"error {i}",
        RelatedIds = [new string((char)('a' + (i % 6)), 64)],
        Actor = actor ?? Alice,
        Time = Start.AddMinutes(i),
    };

    /// <summary>Appends records 1 to <paramref name="count"/>, one a minute from <see cref="Start"/>.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(int count)
    {
        var records = new List<AuditRecord>();
        for (var i = 1; i <= count; i++)
        {
            records.Add(await Log.AppendAsync(Event(i)));
        }

        return records;
    }

    public async Task<List<AuditRecord>> ReadAllAsync(AuditQuery? query = null)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Log.QueryAsync(query))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The log's true signing key, as a master-key holder can derive it.</summary>
    public AuditSigningKey DeriveTrueSigningKey()
    {
        Span<byte> seed = stackalloc byte[MasterKey.Size];
        Repository.DeriveAuditSigningSeed(seed);
        return AuditSigningKey.FromSeed(seed);
    }

    /// <summary>Gives a record a fresh hash and a signature by <paramref name="key"/>.</summary>
    public static AuditRecord Resign(AuditRecord record, AuditSigningKey key)
    {
        var hash = record.ComputeHash();
        return record with { Hash = hash, Signature = Convert.ToHexStringLower(key.Sign(Convert.FromHexString(hash))) };
    }

    public async Task<AuditRecord> ReadRecordAsync(long sequence)
    {
        var json = await Repository.ReadSealedObjectAsync(
            RepositoryPaths.AuditRecord(sequence), ObjectKind.AuditSegment, default, AuditRecord.MaxJsonLength);
        return AuditRecord.Parse(json);
    }

    public Task<byte[]> ReadRawAsync(long sequence) => Backend.ReadAllAsync(RepositoryPaths.AuditRecord(sequence));

    public async Task ReplaceRawAsync(long sequence, byte[] bytes)
    {
        await Backend.DeleteAsync(RepositoryPaths.AuditRecord(sequence));
        await Backend.WriteOnceAsync(RepositoryPaths.AuditRecord(sequence), bytes);
    }

    /// <summary>Replaces a record by another, sealed properly: what someone holding the data key can do.</summary>
    public async Task ResealAsync(long sequence, AuditRecord record)
    {
        await Backend.DeleteAsync(RepositoryPaths.AuditRecord(sequence));
        await Repository.WriteSealedObjectAsync(RepositoryPaths.AuditRecord(sequence), ObjectKind.AuditSegment, default, record.ToJson());
    }

    public Task DeleteAsync(long sequence) => Backend.DeleteAsync(RepositoryPaths.AuditRecord(sequence));

    /// <summary>Swaps two record objects by name, as someone with storage access only can.</summary>
    public async Task SwapAsync(long a, long b)
    {
        var bytesA = await ReadRawAsync(a);
        var bytesB = await ReadRawAsync(b);
        await ReplaceRawAsync(a, bytesB);
        await ReplaceRawAsync(b, bytesA);
    }

    public async ValueTask DisposeAsync()
    {
        Log?.Dispose();
        if (Repository is not null)
        {
            await Repository.DisposeAsync();
        }

        _repositoryContext.Dispose();
    }
}
