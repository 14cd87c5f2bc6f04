using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

/// <summary>
/// Runs the storage contract against <see cref="LocalStorageBackend"/> forced onto its <c>link</c> + <c>unlink</c>
/// path, which Linux uses only where <c>renameat2(RENAME_NOREPLACE)</c> is unavailable and other Unix systems always
/// use.
/// </summary>
public sealed class LocalStorageBackendHardLinkContractTests : LocalStorageBackendContractTests
{
    private protected override LocalStorageBackend CreateLocalBackend(string root) =>
        new(root, NoReplaceFileMove.Method.HardLink);
}
