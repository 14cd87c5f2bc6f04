namespace ForgeOne.Core.Repository;

/// <summary>
/// Opening found no repository: the location has no <c>config</c> object.
/// </summary>
/// <remarks>
/// Init writes the key slot first and <c>config</c> last, so a location with key slots but no config is an init that
/// was interrupted (<see cref="IsIncompleteInit"/>); it is not a repository and never becomes one.
/// </remarks>
public sealed class RepositoryNotFoundException : RepositoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location.</param>
    /// <param name="isIncompleteInit">True when key slots exist without a config (an interrupted init).</param>
    public RepositoryNotFoundException(string location, bool isIncompleteInit = false)
        : base(location, BuildMessage(location, isIncompleteInit))
    {
        IsIncompleteInit = isIncompleteInit;
    }

    /// <summary>True when the location holds key slots but no config: an init that did not finish.</summary>
    public bool IsIncompleteInit { get; }

    private static string BuildMessage(string location, bool isIncompleteInit) => isIncompleteInit
        ? $"'{location}' is not a repository: it has key slots but no config, so an init there did not finish. " +
          "Run init again in an empty location (New-ForgeRepository, forge repo init), or delete the location's " +
          "'keys' folder and run init there."
        : $"No repository at '{location}': it has no config object. Check the path, or create a repository there " +
          "with New-ForgeRepository (forge repo init).";
}
