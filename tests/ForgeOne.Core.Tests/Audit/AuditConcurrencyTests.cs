using ForgeOne.Core.Audit;
using ForgeOne.Core.Storage;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>Concurrent writers never fork the chain or lose a record.</summary>
public sealed class AuditConcurrencyTests : IAsyncLifetime
{
    private const int PerWriter = 200;

    private AuditTestContext _context = null!;

    public async Task InitializeAsync() => _context = await AuditTestContext.CreateAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Two_repository_instances_appending_at_once_make_one_gapless_verified_chain()
    {
        // Two opens over two backend instances on the same folder: what two backups on one repository do.
        await using var secondBackend = new LocalStorageBackend(_context.RepositoryContext.Root);
        await using var secondRepository = await OpenAsync(secondBackend);
        using var secondLog = AuditLog.Open(secondRepository);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(async () => await AppendManyAsync(_context.Log, "first", start.Task));
        var second = Task.Run(async () => await AppendManyAsync(secondLog, "second", start.Task));
        start.SetResult();
        var appended = (await first).Concat(await second).ToList();

        var records = await _context.ReadAllAsync();
        Assert.Equal(Enumerable.Range(1, 2 * PerWriter).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(appended.Select(r => r.Hash).Order(), records.Select(r => r.Hash).Order());
        Assert.Equal(PerWriter, records.Count(r => r.Actor.ProcessName == "first"));
        Assert.Equal(PerWriter, records.Count(r => r.Actor.ProcessName == "second"));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Hash, records[i].PreviousHash);
        }

        var result = await _context.Log.VerifyAsync();
        Assert.True(result.Passed, result.Message);
        Assert.Equal(2 * PerWriter, result.RecordsChecked);
    }

    [Fact]
    public async Task Threads_sharing_one_log_append_every_record_once()
    {
        var tasks = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await _context.Log.AppendAsync(AuditTestContext.Event(i) with
                {
                    Actor = AuditTestContext.Alice with { ProcessName = $"w{w}" },
                });
            }
        }));
        await Task.WhenAll(tasks);

        var result = await _context.Log.VerifyAsync();

        Assert.True(result.Passed, result.Message);
        Assert.Equal(100, result.RecordsChecked);
    }

    private static async Task<List<AuditRecord>> AppendManyAsync(AuditLog log, string writer, Task start)
    {
        await start;
        var records = new List<AuditRecord>(PerWriter);
        for (var i = 0; i < PerWriter; i++)
        {
            records.Add(await log.AppendAsync(AuditTestContext.Event(i) with
            {
                Actor = AuditTestContext.Alice with { ProcessName = writer },
            }));
        }

        return records;
    }

    private static async Task<ForgeRepository> OpenAsync(IStorageBackend backend)
    {
        using var credentials = Repository.RepositoryTestContext.PassphraseCredentials();
        return await ForgeRepository.OpenAsync(backend, credentials);
    }
}
