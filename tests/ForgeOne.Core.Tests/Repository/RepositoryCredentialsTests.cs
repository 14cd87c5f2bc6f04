using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary><see cref="RepositoryCredentials"/> keeps its secret to itself.</summary>
public sealed class RepositoryCredentialsTests
{
    [Fact]
    public void ToString_names_the_kind_and_never_the_secret()
    {
        using var passphrase = RepositoryCredentials.FromPassphrase("hunter2 hunter2");
        using var keyFile = RepositoryCredentials.FromKeyFileBytes(new byte[KeyFile.Size]);

        Assert.Equal("RepositoryCredentials(passphrase)", passphrase.ToString());
        Assert.Equal("RepositoryCredentials(key file)", keyFile.ToString());
        Assert.Equal(KeySlotKind.Passphrase, passphrase.Kind);
        Assert.Equal(KeySlotKind.KeyFile, keyFile.Kind);
    }

    [Fact]
    public void Empty_passphrases_and_wrong_sized_key_files_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RepositoryCredentials.FromPassphrase(""));
        Assert.Throws<ArgumentException>(() => RepositoryCredentials.FromKeyFileBytes(new byte[31]));
    }

    [Fact]
    public async Task Disposed_credentials_cannot_be_used()
    {
        using var context = new RepositoryTestContext();
        var credentials = RepositoryTestContext.PassphraseCredentials();
        credentials.Dispose();
        credentials.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => ForgeOne.Core.Repository.Repository.InitAsync(context.Backend, credentials, RepositoryTestContext.Options()));
    }
}
