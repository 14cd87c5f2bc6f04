using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// A pack file's structure is broken: its trailer points outside the file, its header does not authenticate or does
/// not parse, its entries do not add up to its length, or it is shorter than the index says. Names the pack.
/// </summary>
/// <remarks>
/// Typical causes are a truncated or overwritten pack. The envelope's exception, when there is one, is kept as
/// <see cref="Exception.InnerException"/>. A single blob that fails inside an intact pack is a
/// <see cref="BlobIntegrityException"/> instead.
/// </remarks>
public sealed class MalformedPackException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="packId">The pack.</param>
    /// <param name="problem">What is wrong, as a sentence fragment without secrets.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public MalformedPackException(PackId packId, string problem, Exception? innerException = null)
        : base(
            $"Pack {packId} is malformed: {problem}. Run Test-ForgeRepository -ReadData (forge check --read-data) to " +
            "list the affected files; restore the pack from another copy, or delete it and back the files up again.",
            ObjectKind.PackHeader,
            packId.ToString(),
            innerException)
    {
        PackId = packId;
        Problem = problem;
    }

    /// <summary>The malformed pack.</summary>
    public PackId PackId { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
