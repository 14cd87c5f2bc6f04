using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>What the store's files hold on disk: no plaintext of what was written through the cmdlets.</summary>
public sealed class StoreEncryptionAtRestTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private const string Message = "zebra-quartz log message 4711";
    private const string Payload = "{\"order\":\"walrus-tangerine-0815\"}";
    private const string BlobText = "narwhal-pistachio blob content ";
    private const string Subject = "subject-heron-9001";
    private const string Email = "heron@example.invalid";

    [Fact]
    public void No_database_file_holds_the_plaintext_of_a_logged_message_an_event_payload_or_a_blob()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        var blobFile = Path.Combine(store.Root, "blob.txt");
        File.WriteAllText(blobFile, string.Concat(Enumerable.Repeat(BlobText, 2000)));

        store.Run("""
            1..50 | ForEach-Object { "$message #$_" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/secret -Subject $subject -Metadata @{ email = $email } -SensitiveField email
            1..50 | ForEach-Object { $payload } | Send-ForgeEvent -Store $store -KeyFile $key -Topic orders/secret
            Add-ForgeBlob -Store $store -KeyFile $key -Name secret.txt -Path $blobFile | Out-Null
            New-ForgeSnapshot -Store $store -KeyFile $key | Out-Null
            """, ("message", Message), ("payload", Payload), ("subject", Subject), ("email", Email), ("blobFile", blobFile)).ShouldSucceed();

        // The writes went through and read back, so the scan below looks for text that is really stored.
        Assert.Equal(50, store.Run("Get-ForgeLog -Store $store -KeyFile $key | Where-Object Message -like \"$m*\"", ("m", Message)).ShouldSucceed().Output.Count);
        Assert.Equal(Payload, store.Run("Get-ForgeEvent -Store $store -KeyFile $key -First 1").ShouldSucceed().Property("Payload"));
        Assert.Equal(new FileInfo(blobFile).Length, store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Name secret.txt").ShouldSucceed().Property("Size"));
        var probe = Directory.CreateDirectory(Path.Combine(store.Root, "probe")).FullName;
        File.Copy(blobFile, Path.Combine(probe, "plain.redb"));
        Assert.NotEmpty(StoreFiles.Containing(probe, "narwhal-pistachio"));
        var files = StoreFiles.All(store.Location);
        Assert.Contains(files, file => file.Contains("snapshots", StringComparison.Ordinal));
        foreach (var secret in new[] { "zebra-quartz", "walrus-tangerine", "narwhal-pistachio", "app/secret", "orders/secret", "secret.txt", Subject, Email })
        {
            Assert.True(StoreFiles.Containing(store.Location, secret).Count == 0, $"'{secret}' is in plaintext in {string.Join(", ", StoreFiles.Containing(store.Location, secret))}");
        }
    }
}
