using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Audit;

/// <summary>
/// What to write into the audit log: the operation, its target, the parameters that matter and how it ended.
/// <see cref="AuditLog.AppendAsync"/> adds the sequence number, the chain hash and the signature.
/// </summary>
/// <remarks>
/// Never put secrets in an event: passphrases, key material, tokens or shared access signatures. Parameter names
/// that contain <c>password</c>, <c>passphrase</c> or <c>secret</c> are refused as a guard, but values are not
/// inspected; pass a key file's path, never its content.
/// </remarks>
public sealed record AuditEvent
{
    /// <summary>Longest operation name accepted, in characters.</summary>
    public const int MaxOperationLength = 128;

    private static readonly string[] SecretWords = ["password", "passphrase", "secret"];

    /// <summary>The operation, preferably one of <see cref="AuditOperations"/> (for example <c>backup.create</c>).</summary>
    public required string Operation { get; init; }

    /// <summary>What the operation acted on: a repository location, a snapshot id, a path; empty when nothing.</summary>
    public string Target { get; init; } = "";

    /// <summary>The parameters that matter (paths, tags, options), never secrets. Written sorted by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>How the operation ended.</summary>
    public AuditOutcome Outcome { get; init; } = AuditOutcome.Succeeded;

    /// <summary>The error message when the operation failed or was denied; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>Ids the record relates to: snapshot ids, lock ids, key slot ids, evidence ids.</summary>
    public IReadOnlyList<string> RelatedIds { get; init; } = [];

    /// <summary>Who did it; null for <see cref="AuditActor.Current"/>.</summary>
    public AuditActor? Actor { get; init; }

    /// <summary>When it happened; null for the time of the append. Stored in UTC to 100 ns.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Checks every field before anything is signed.</summary>
    /// <exception cref="ArgumentException">A field is empty where it must not be, not valid Unicode, or a parameter
    /// name looks like a secret.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Operation) || Operation.Length > MaxOperationLength || Operation.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"An audit operation is 1 to {MaxOperationLength} characters without control characters, not '{Operation}'. " +
                "Use a name from AuditOperations.", nameof(Operation));
        }

        RequireText(Operation, nameof(Operation));
        RequireText(Target ?? throw new ArgumentNullException(nameof(Target)), nameof(Target));
        if (Error is not null)
        {
            RequireText(Error, nameof(Error));
        }

        ArgumentNullException.ThrowIfNull(Parameters);
        foreach (var (name, value) in Parameters)
        {
            if (string.IsNullOrEmpty(name) || value is null)
            {
                throw new ArgumentException("Audit parameter names must not be empty and values must not be null.", nameof(Parameters));
            }

            if (SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException(
                    $"Audit parameter '{name}' looks like a secret; audit records must never hold secrets. Leave it out, or " +
                    "record where the secret came from (a key file's path) instead.", nameof(Parameters));
            }

            RequireText(name, nameof(Parameters));
            RequireText(value, nameof(Parameters));
        }

        ArgumentNullException.ThrowIfNull(RelatedIds);
        foreach (var id in RelatedIds)
        {
            RequireText(id ?? throw new ArgumentException("Related ids must not be null.", nameof(RelatedIds)), nameof(RelatedIds));
        }

        if (Actor is { } actor)
        {
            RequireText(actor.User ?? throw new ArgumentException("The actor's user must not be null.", nameof(Actor)), nameof(Actor));
            RequireText(actor.Host ?? throw new ArgumentException("The actor's host must not be null.", nameof(Actor)), nameof(Actor));
            RequireText(actor.ProcessName ?? throw new ArgumentException("The actor's process name must not be null.", nameof(Actor)),
                nameof(Actor));
            ArgumentOutOfRangeException.ThrowIfNegative(actor.ProcessId, nameof(Actor));
        }

        if (!Enum.IsDefined(Outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(Outcome), Outcome, "Not an audit outcome.");
        }
    }

    private static void RequireText(string text, string parameterName)
    {
        if (!CanonicalJson.IsWellFormed(text))
        {
            throw new ArgumentException("Audit record text must be valid Unicode (no lone surrogate).", parameterName);
        }
    }
}
