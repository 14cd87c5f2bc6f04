using System.Collections;
using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Write-ForgeLog.</summary>
public sealed class StoreLogWriteTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private const string Id = ",ForgeOne.Commands.WriteForgeLogCommand";

    [Fact]
    public void Twenty_thousand_strings_through_the_pipeline_are_all_stored_once()
    {
        var store = new TestStore(shell).Create();

        store.Run("1..20000 | ForEach-Object { \"msg $_\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/x").ShouldSucceed();

        var statistics = store.Statistics();
        Assert.Equal(20000L, statistics.Get<long>("LogEntries"));
        Assert.All(statistics.Items("Databases").Where(database => database.Get("Kind")!.ToString() == "Logs"),
            shard => Assert.True(shard.Get<long>("Records") > 0, "entries spread over every shard"));
        var messages = store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/x | ForEach-Object Message").ShouldSucceed()
            .BaseObjects.Cast<string>().ToList();
        Assert.Equal(20000, messages.Count);
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => $"msg {i}").Order(StringComparer.Ordinal), messages.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PassThru_emits_the_stored_entries_with_ids_shards_severity_and_metadata()
    {
        var store = new TestStore(shell).Create(logShards: 2);

        var result = store.Run("Write-ForgeLog -Store $store -KeyFile $key -Topic app/auth -Severity Warning -Message 'login failed' -Metadata @{ user = 'u42'; attempt = 3 } -PassThru").ShouldSucceed();

        var entry = Assert.Single(result.Output);
        Assert.Equal("LogEntry", entry.TypeName());
        Assert.NotEqual(0L, entry.Get<long>("Id"));
        Assert.InRange(entry.Get<int>("Shard"), 0, 1);
        Assert.Equal("app/auth", entry.Get<string>("Topic"));
        Assert.Equal("Warning", entry.Get("Severity")!.ToString());
        Assert.Equal("u42", entry.Get<IReadOnlyDictionary<string, string>>("Metadata")["user"]);
        Assert.Equal("3", entry.Get<IReadOnlyDictionary<string, string>>("Metadata")["attempt"]);
        Assert.Matches("^[0-9a-f]{64}$", entry.Get<string>("ContentHash"));
        Assert.Matches(@"^\d+\.\d+$", entry.Get<string>("ContinuationToken"));
    }

    [Fact]
    public void Without_PassThru_nothing_is_written_to_the_output()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var result = store.Run("'a', 'b' | Write-ForgeLog -Store $store -KeyFile $key -Topic app/x").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Equal(2L, store.Statistics().Get<long>("LogEntries"));
    }

    [Fact]
    public void Objects_bind_Topic_Message_Severity_and_Metadata_by_property_name()
    {
        var store = new TestStore(shell).Create(logShards: 2);

        store.Run("""
            @(
                [pscustomobject]@{ Topic = 'app/a'; Message = 'one'; Severity = 'Error'; Metadata = @{ k = 'v' } }
                [pscustomobject]@{ Topic = 'app/b'; Message = 'two' }
            ) | Write-ForgeLog -Store $store -KeyFile $key
            """).ShouldSucceed();

        var a = Assert.Single(store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/a").ShouldSucceed().Output);
        Assert.Equal("one", a.Get<string>("Message"));
        Assert.Equal("Error", a.Get("Severity")!.ToString());
        Assert.Equal("v", a.Get<IReadOnlyDictionary<string, string>>("Metadata")["k"]);
        var b = Assert.Single(store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/b").ShouldSucceed().Output);
        Assert.Equal("two", b.Get<string>("Message"));
        Assert.Equal("Information", b.Get("Severity")!.ToString());
    }

    [Fact]
    public void Invalid_entries_are_errors_naming_the_field_and_the_others_are_written()
    {
        var store = new TestStore(shell).Create(logShards: 2);

        var result = store.Run("""
            @(
                [pscustomobject]@{ Topic = 'app/ok'; Message = 'first' }
                [pscustomobject]@{ Topic = 'not a topic!'; Message = 'bad topic' }
                [pscustomobject]@{ Topic = 'app/ok'; Message = 'bad metadata'; Metadata = @{ 'no spaces allowed' = 'x' } }
                [pscustomobject]@{ Message = 'no topic' }
                [pscustomobject]@{ Topic = 'app/ok'; Message = 'last' }
            ) | Write-ForgeLog -Store $store -KeyFile $key
            """);

        Assert.Null(result.Terminating);
        Assert.Equal(["StoreValidationFailed" + Id, "StoreValidationFailed" + Id, "StoreValidationFailed" + Id], result.ErrorIds);
        Assert.Equal(["Topic", "Metadata", "Topic"], result.Errors.Select(error => (string)((dynamic)error.Exception).Field));
        Assert.All(result.Errors, error => Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category));
        Assert.Equal("bad topic", result.Errors[0].TargetObject);
        var stored = store.Run("Get-ForgeLog -Store $store -KeyFile $key | ForEach-Object Message").ShouldSucceed().BaseObjects.Cast<string>();
        Assert.Equal(["first", "last"], stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_entry_with_sensitive_fields_keeps_its_subject_and_fields()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        store.Run("Write-ForgeLog -Store $store -KeyFile $key -Topic app/auth -Message reset -Subject user-42 -Metadata @{ email = 'a@example.com'; node = 'n1' } -SensitiveField email").ShouldSucceed();

        var entry = Assert.Single(store.Run("Get-ForgeLog -Store $store -KeyFile $key").ShouldSucceed().Output);
        Assert.Equal("user-42", entry.Get<string>("Subject"));
        Assert.Equal(["email"], entry.Get<IReadOnlyList<string>>("SensitiveFields"));
        Assert.Equal("a@example.com", entry.Get<IReadOnlyDictionary<string, string>>("Metadata")["email"]);
    }

    [Fact]
    public void A_sensitive_field_without_a_subject_is_an_error_naming_SensitiveFields()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var result = store.Run("Write-ForgeLog -Store $store -KeyFile $key -Topic app/auth -Message m -Metadata @{ email = 'x' } -SensitiveField email");

        Assert.Equal(["StoreValidationFailed" + Id], result.ErrorIds);
        Assert.Equal("SensitiveFields", (string)((dynamic)result.Errors[0].Exception).Field);
    }

    [Fact]
    public void Entries_read_from_one_store_are_written_to_another_as_they_are()
    {
        var source = new TestStore(shell).Create(logShards: 2);
        var target = new TestStore(shell).Create(logShards: 3);
        source.Run("""
            1..50 | ForEach-Object { [pscustomobject]@{ Topic = 'app/copy'; Message = "m$_"; Timestamp = [DateTimeOffset]::new(2024, 5, 1, 0, 0, $_, [TimeSpan]::Zero) } } |
                Write-ForgeLog -Store $store -KeyFile $key
            """).ShouldSucceed();

        source.Run("Get-ForgeLog -Store $store -KeyFile $key | Write-ForgeLog -Store $target -KeyFile $targetKey",
            ("target", target.Location), ("targetKey", target.KeyFile)).ShouldSucceed();

        var copied = target.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/copy").ShouldSucceed().Output;
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"m{i}"), copied.Select(entry => entry.Get<string>("Message")));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 7, TimeSpan.Zero), copied[6].Get<DateTimeOffset>("Timestamp"));
    }

    [Fact]
    public void A_missing_store_stops_the_command_before_any_entry()
    {
        var store = new TestStore(shell);

        var result = store.RunCatching("'a', 'b' | Write-ForgeLog -Store $store -KeyFile $key -Topic app/x");

        Assert.Equal("StoreNotFound" + Id, result.Terminating?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Metadata_values_of_any_type_become_text()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var entry = Assert.Single(store.Run("Write-ForgeLog -Store $store -KeyFile $key -Topic app/x -Message m -Metadata @{ n = 42; b = $true } -PassThru").ShouldSucceed().Output);

        var metadata = entry.Get<IReadOnlyDictionary<string, string>>("Metadata");
        Assert.Equal("42", metadata["n"]);
        Assert.Equal("True", metadata["b"]);
        _ = (IEnumerable)metadata;
    }
}
