using System.Globalization;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Audit;

/// <summary>
/// Thrown when appending to, or reading, an audit log meets a record that cannot be used: it fails authentication,
/// does not parse, is not the record its slot says, or fails its hash or signature. Verification reports the same
/// problems as results instead (<see cref="AuditLog.VerifyAsync"/>).
/// </summary>
public sealed class AuditRecordDamagedException : IntegrityException
{
    /// <summary>Creates the exception for one record.</summary>
    /// <param name="location">Where the log is.</param>
    /// <param name="sequence">The record's slot (sequence number).</param>
    /// <param name="problem">What is wrong, as a sentence fragment.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public AuditRecordDamagedException(string location, long sequence, string problem, Exception? innerException = null)
        : base(
            $"Audit record {sequence.ToString(CultureInfo.InvariantCulture)} in '{location}' is damaged: {problem}. Run " +
            "Test-ForgeAuditLog (forge audit verify) to find the first bad record, and keep the repository as evidence.",
            ObjectKind.AuditSegment,
            sequence.ToString(CultureInfo.InvariantCulture),
            innerException)
    {
        Sequence = sequence;
        Problem = problem;
    }

    /// <summary>The record's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
