namespace ForgeOne.Core.Repository;

/// <summary>
/// Init refused a location that already holds a repository (a <c>config</c> object), or the key slots of an init
/// that did not finish. Nothing was written.
/// </summary>
public sealed class RepositoryExistsException : RepositoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location.</param>
    /// <param name="isIncompleteInit">True when the location has key slots but no config.</param>
    /// <param name="innerException">The failure that revealed the existing repository, if any.</param>
    public RepositoryExistsException(string location, bool isIncompleteInit = false, Exception? innerException = null)
        : base(location, BuildMessage(location, isIncompleteInit), innerException)
    {
        IsIncompleteInit = isIncompleteInit;
    }

    /// <summary>True when the location holds only the key slots of an init that did not finish.</summary>
    public bool IsIncompleteInit { get; }

    private static string BuildMessage(string location, bool isIncompleteInit) => isIncompleteInit
        ? $"'{location}' holds key slots from an init that did not finish, so no new repository was created there. " +
          "Run init in an empty location, or delete the location's 'keys' folder first."
        : $"A repository already exists at '{location}', so no new one was created. Open it instead, or choose an " +
          "empty location for a new repository.";
}
