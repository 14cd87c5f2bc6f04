namespace ForgeOne.Core.Prune;

/// <summary>
/// Prune stopped before changing anything because it cannot tell for sure what is in use: a snapshot or a tree
/// does not read, or a blob a snapshot needs is in no pack.
/// </summary>
public sealed class PruneRefusedException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What made the prune unsafe, and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public PruneRefusedException(string problem, Exception? innerException = null)
        : base($"Prune changed nothing: {problem}", innerException)
    {
    }
}
