using System.Management.Automation;
using System.Xml.Linq;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

/// <summary>
/// The table views in ForgeOne.format.ps1xml, checked against real output objects: the hosted engine has no
/// Format-Table, so each column's property must exist and each column's script block must run cleanly.
/// </summary>
public sealed class FormatViewTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Every_view_column_reads_a_property_the_object_has_or_runs_cleanly()
    {
        var objects = OutputOfEveryKind();
        var views = XDocument.Load(Path.Combine(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, "ForgeOne.format.ps1xml"))
            .Descendants("View").ToList();

        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            var value = objects.FirstOrDefault(o => o.BaseObject.GetType().FullName == typeName);
            Assert.True(value is not null, $"no test object of {typeName}; extend {nameof(OutputOfEveryKind)}");
            var headers = view.Descendants("TableColumnHeader").Count();
            var items = view.Descendants("TableColumnItem").ToList();
            Assert.Equal(headers, items.Count);
            foreach (var item in items)
            {
                if (item.Element("PropertyName") is { } property)
                {
                    Assert.True(value.Properties[property.Value] is not null, $"{typeName} has no property {property.Value}");
                }
                else
                {
                    var script = item.Element("ScriptBlock")!.Value;
                    var result = shell.Run("$o | ForEach-Object -Process ([scriptblock]::Create($sb))", new Dictionary<string, object> { ["o"] = value, ["sb"] = script });
                    Assert.True(result.Terminating is null && result.Errors.Count == 0, $"{typeName} column '{script}' failed: {(object?)result.Terminating ?? (result.Errors.Count > 0 ? result.Errors[0] : null)}");
                }
            }
        }
    }

    [Fact]
    public void Repository_info_has_a_Repository_alias_for_pipeline_binding()
    {
        var repository = new TestRepository(shell);

        var info = Assert.Single(repository.Run("New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed().Output);

        Assert.Equal(info.Get<string>("Location"), info.Get<string>("Repository"));
    }

    private List<PSObject> OutputOfEveryKind()
    {
        var repository = new TestRepository(shell);
        List<PSObject> objects = [.. repository.Run("New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed().Output];
        SampleData.Write(repository.Source, withLargeFile: true);
        var first = repository.Backup();
        objects.AddRange(repository.Run("Get-ForgeHash -LiteralPath $file", ("file", Path.Combine(repository.Source, "readme.txt"))).ShouldSucceed().Output);
        File.WriteAllText(Path.Combine(repository.Source, "readme.txt"), "changed");
        objects.Add(repository.Backup());
        objects.AddRange(repository.Run("Compare-ForgeBackup -Repository $repo -KeyFile $key $id latest", ("id", first.Get<string>("Id"))).ShouldSucceed().Output);
        objects.AddRange(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Test-ForgeRepository -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest", ("dest", Path.Combine(repository.Root, "r1"))).ShouldSucceed().Output);
        PlantedLock.Write(first.BaseObject, repository.Location, repository.KeyFile, PlantedLock.ExitedProcessId());
        objects.AddRange(repository.Run("Unlock-ForgeRepository -Repository $repo -KeyFile $key").ShouldSucceed().Output);

        objects.AddRange(RetentionDrillAuditAndEvidenceOutput(repository, first));

        // Damage gives the problem lists their items.
        repository.FlipByteInLargestChunk(first);
        var verification = Assert.Single(repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadData").ShouldSucceed().Output);
        objects.Add(verification);
        objects.AddRange(verification.Items("Problems"));
        var restore = Assert.Single(repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest -ErrorAction SilentlyContinue",
            ("dest", Path.Combine(repository.Root, "r2"))).Output);
        objects.AddRange(restore.Items("Failed"));

        var store = new TestStore(shell);
        objects.AddRange(store.Run("New-ForgeStore -Path $store -KeyFile $key -LogShards 1").ShouldSucceed().Output);
        objects.AddRange(store.Run("Write-ForgeLog -Store $store -KeyFile $key -Topic app/x -Message hello -PassThru").ShouldSucceed().Output);
        var statistics = store.Statistics();
        objects.Add(statistics);
        objects.AddRange(statistics.Items("Databases"));

        objects.AddRange(store.Run("[byte[]](1, 2, 3) | Add-ForgeBlob -Store $store -KeyFile $key -Name b").ShouldSucceed().Output);
        var sent = store.Run("Send-ForgeEvent -Store $store -KeyFile $key -Topic app/e -Payload p -PassThru").ShouldSucceed().Output;
        objects.AddRange(sent);
        objects.AddRange(store.Run("$e | Set-ForgeCheckpoint -Store $store -KeyFile $key -Consumer c", ("e", sent)).ShouldSucceed().Output);
        var snapshots = store.Run("New-ForgeSnapshot -Store $store -KeyFile $key -Database system").ShouldSucceed().Output;
        objects.AddRange(snapshots);
        objects.AddRange(store.Run("$s | Test-ForgeSnapshot -Store $store -KeyFile $key", ("s", snapshots)).ShouldSucceed().Output);
        objects.AddRange(store.Run("Remove-ForgeSubjectKey -Store $store -KeyFile $key -Subject nobody -Confirm:$false").ShouldSucceed().Output);
        objects.AddRange(store.Run("Update-ForgeStoreKey -Store $store -KeyFile $key").ShouldSucceed().Output);
        store.Run("[pscustomobject]@{ Topic = 'app/x'; Message = 'old'; Timestamp = '2020-01-01T00:00:00Z' } | Write-ForgeLog -Store $store -KeyFile $key").ShouldSucceed();
        objects.AddRange(store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Logs 30.00:00:00").ShouldSucceed().Output);
        var plan = Assert.Single(store.Run("Invoke-ForgeRetention -Store $store -KeyFile $key -WhatIf").ShouldSucceed().Output);
        objects.Add(plan);
        objects.AddRange(plan.Items("Databases"));
        var retention = Assert.Single(store.Run("Invoke-ForgeRetention -Store $store -KeyFile $key").ShouldSucceed().Output);
        objects.Add(retention);
        objects.AddRange(retention.Items("Databases"));
        store.Run("$null = New-ForgeBackup -Repository $repo -KeyFile $repoKey -Store $store -StoreKeyFile $key", ("repo", repository.Location), ("repoKey", repository.KeyFile)).ShouldSucceed();
        var restored = Assert.Single(store.Run("Restore-ForgeBackup -Repository $repo -KeyFile $repoKey -Store $store -StoreKeyFile $key -Target logs -Confirm:$false",
            ("repo", repository.Location), ("repoKey", repository.KeyFile)).ShouldSucceed().Output);
        objects.Add(restored);
        objects.AddRange(restored.Items("Databases"));
        return objects;
    }

    private static List<PSObject> RetentionDrillAuditAndEvidenceOutput(TestRepository repository, PSObject first)
    {
        List<PSObject> objects = [];
        objects.AddRange(repository.Run("Set-ForgeRetentionPolicy -Repository $repo -KeyFile $key -KeepLast 5").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -WhatIf").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -Confirm:$false").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Optimize-ForgeRepository -Repository $repo -KeyFile $key -WhatIf").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Set-ForgeLegalHold -Repository $repo -KeyFile $key -Id $id -Reason 'case 42'", ("id", first.Get<string>("Id"))).ShouldSucceed().Output);
        var drill = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -RtoObjective 8h -Validation { $false }").ShouldSucceed().Output);
        objects.Add(drill);
        objects.AddRange(drill.Items("Checks"));
        using (var opened = ReflectedRepository.Open(first.BaseObject, repository.Location, repository.KeyFile))
        {
            opened.AppendAuditRecords(3);
        }

        objects.AddRange(repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        objects.AddRange(repository.Run("Test-ForgeAuditLog -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        var package = Assert.Single(repository.Run("Export-ForgeEvidence -Repository $repo -KeyFile $key -Path $p", ("p", Path.Combine(repository.Root, "e.zip"))).ShouldSucceed().Output);
        objects.Add(package);
        objects.AddRange(package.Items("Controls"));
        using (var zip = System.IO.Compression.ZipFile.Open(package.Get<string>("Path"), System.IO.Compression.ZipArchiveMode.Update))
        {
            zip.CreateEntry("extra.txt");
        }

        var verification = Assert.Single(repository.Run("Test-ForgeEvidence $p", ("p", package.Get<string>("Path"))).ShouldSucceed().Output);
        objects.Add(verification);
        objects.AddRange(verification.Items("Problems"));
        objects.AddRange(repository.Run("Set-ForgeAlert -Repository $repo -KeyFile $key -WebhookUrl http://127.0.0.1:9/hook").ShouldSucceed().Output);
        return objects;
    }
}
