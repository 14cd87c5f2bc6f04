using System.Reflection;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// Set-ups no cmdlet offers, done through Core by reflection on an open repository: audit records appended directly,
/// snapshots saved with made-up times, sealed objects read and written as someone holding the data key could.
/// </summary>
/// <remarks>Core's API is reached by name; a change there fails these set-ups loudly rather than testing nothing.</remarks>
public static class RepositoryObjects
{
    /// <summary>The first audit record's time; record i is i minutes later.</summary>
    public static readonly DateTimeOffset AuditStart = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Appends records 1 to <paramref name="count"/> to the repository's audit log: backup.create by alice@build01,
    /// except every third (3, 6, 9, …) a failed snapshot.delete by bob@db02; record i at <see cref="AuditStart"/> + i minutes.
    /// </summary>
    public static void AppendAuditRecords(this ReflectedRepository repository, int count)
    {
        var auditLog = repository.Core.GetType("ForgeOne.Core.Audit.AuditLog", throwOnError: true)!;
        var eventType = repository.Core.GetType("ForgeOne.Core.Audit.AuditEvent", throwOnError: true)!;
        var actorType = repository.Core.GetType("ForgeOne.Core.Audit.AuditActor", throwOnError: true)!;
        var outcomeType = repository.Core.GetType("ForgeOne.Core.Audit.AuditOutcome", throwOnError: true)!;
        using var log = (IDisposable)auditLog.GetMethod("Open")!.Invoke(null, [repository.Repository])!;
        var append = auditLog.GetMethod("AppendAsync")!;
        for (var i = 1; i <= count; i++)
        {
            var failed = i % 3 == 0;
            var auditEvent = Activator.CreateInstance(eventType)!;
            Set(auditEvent, "Operation", failed ? "snapshot.delete" : "backup.create");
            Set(auditEvent, "Target", $"/data/set{i}");
            Set(auditEvent, "Parameters", new Dictionary<string, string> { ["tag"] = $"t{i}" });
            Set(auditEvent, "Outcome", Enum.Parse(outcomeType, failed ? "Failed" : "Succeeded"));
            Set(auditEvent, "Error", failed ? $"error {i}" : null);
            Set(auditEvent, "Actor", failed
                ? Activator.CreateInstance(actorType, "bob", "db02", 77, "forge")
                : Activator.CreateInstance(actorType, "alice", "build01", 4242, "pwsh"));
            Set(auditEvent, "Time", (DateTimeOffset?)AuditStart.AddMinutes(i));
            ReflectedRepository.Await(append.Invoke(log, [auditEvent, CancellationToken.None])!);
        }
    }

    /// <summary>The stored JSON of a snapshot (Snapshot.ToJson), to save again changed.</summary>
    public static byte[] SnapshotJson(this ReflectedRepository repository, string id)
    {
        var store = repository.Core.GetType("ForgeOne.Core.Backup.SnapshotStore", throwOnError: true)!;
        var load = store.GetMethods().Single(m => m.Name == "LoadAsync" && m.GetParameters().Length == 3);
        var snapshot = ReflectedRepository.Await(load.Invoke(null, [repository.Repository, id, CancellationToken.None])!)!;
        return (byte[])snapshot.GetType().GetMethod("ToJson")!.Invoke(snapshot, null)!;
    }

    /// <summary>Saves a snapshot document as a backup's commit does; returns its id.</summary>
    public static string SaveSnapshot(this ReflectedRepository repository, byte[] json) =>
        (string)ReflectedRepository.Await(repository.Repository.GetType().GetMethod("SaveSnapshotAsync")!
            .Invoke(repository.Repository, [new ReadOnlyMemory<byte>(json), CancellationToken.None])!)!;

    /// <summary>Deletes a snapshot object, bypassing legal holds (what someone with storage access can do).</summary>
    public static void DeleteSnapshot(this ReflectedRepository repository, string id) =>
        ReflectedRepository.Await(repository.Repository.GetType().GetMethod("DeleteSnapshotAsync")!
            .Invoke(repository.Repository, [id, CancellationToken.None])!);

    /// <summary>Reads and opens a sealed object, for example an audit record (kind AuditSegment).</summary>
    public static byte[] ReadSealed(this ReflectedRepository repository, string name, string kind) =>
        (byte[])ReflectedRepository.Await(repository.Repository.GetType().GetMethod("ReadSealedObjectAsync")!
            .Invoke(repository.Repository, [name, Kind(repository, kind), ReadOnlyMemory<byte>.Empty, 1 << 20, CancellationToken.None])!)!;

    /// <summary>Seals and writes an object under a name that must be free, as someone holding the data key can.</summary>
    public static void WriteSealed(this ReflectedRepository repository, string name, string kind, byte[] plaintext) =>
        ReflectedRepository.Await(repository.Repository.GetType().GetMethod("WriteSealedObjectAsync")!
            .Invoke(repository.Repository, [name, Kind(repository, kind), ReadOnlyMemory<byte>.Empty, new ReadOnlyMemory<byte>(plaintext), CancellationToken.None])!);

    /// <summary>The object name of audit record <paramref name="sequence"/>: audit/records/ and 20 digits.</summary>
    public static string AuditRecordName(long sequence) => "audit/records/" + sequence.ToString("D20");

    private static object Kind(ReflectedRepository repository, string kind) =>
        Enum.Parse(repository.Core.GetType("ForgeOne.Core.Crypto.ObjectKind", throwOnError: true)!, kind);

    private static void Set(object target, string property, object? value) =>
        target.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.Public)!.SetValue(target, value);
}
