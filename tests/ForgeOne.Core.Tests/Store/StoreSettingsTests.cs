using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Sqlite;

namespace ForgeOne.Core.Tests.Store;

public sealed class StoreSettingsTests
{
    [Fact]
    public void A_setting_never_set_reads_as_null_with_empty_history()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();

        Assert.Null(store.Settings.Get("feature.search"));
        Assert.Empty(store.Settings.History("feature.search"));
    }

    [Fact]
    public void Setting_a_value_adds_a_version_and_keeps_the_previous_ones()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();

        var first = store.Settings.Set("feature.search", "off", "alice");
        var second = store.Settings.Set("feature.search", "on", "bob");

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var current = store.Settings.Get("feature.search")!;
        Assert.Equal("on", current.Value);
        Assert.Equal("bob", current.ChangedBy);
        var history = store.Settings.History("feature.search");
        Assert.Equal(["off", "on"], history.Select(setting => setting.Value));
        Assert.Equal(["alice", "bob"], history.Select(setting => setting.ChangedBy));
        Assert.True(history[0].ChangedAt <= history[1].ChangedAt);
    }

    [Fact]
    public void Settings_survive_reopening_and_do_not_mix_names()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create())
        {
            store.Settings.Set("a", "1", "alice");
            store.Settings.Set("b", "2", "alice");
            store.Settings.Set("a", "3", "bob");
        }

        using var reopened = context.Open();
        Assert.Equal("3", reopened.Settings.Get("a")!.Value);
        Assert.Equal("2", reopened.Settings.Get("b")!.Value);
        Assert.Single(reopened.Settings.History("b"));
        Assert.Equal(["a", "b"], reopened.Settings.GetAll().Select(setting => setting.Name));
        Assert.Equal(["3", "2"], reopened.Settings.GetAll().Select(setting => setting.Value));
    }

    [Fact]
    public void Setting_values_are_sealed_and_stamped_with_the_current_epoch()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Settings.Set("webhook.url", "https://hooks.example.com/secret-token-123", "alice");

        using var shard = store.OpenShard(StoreDatabase.System);
        Assert.Equal((long)store.Keys.CurrentEpoch, shard.Connection.Scalar("SELECT epoch FROM settings"));
        shard.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        var bytes = File.ReadAllBytes(store.Layout.SystemPath);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("secret-token-123"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("webhook.url"u8));
    }

    [Theory]
    [InlineData("", "x", "alice", "Name")]
    [InlineData("bad name!", "x", "alice", "Name")]
    [InlineData("ok", "x", "", "ChangedBy")]
    public void Malformed_input_is_refused_with_the_field_named(string name, string value, string changedBy, string field)
    {
        using var context = new StoreTestContext();
        using var store = context.Create();

        var error = Assert.Throws<StoreValidationException>(() => store.Settings.Set(name, value, changedBy));
        Assert.Equal(field, error.Field);
    }
}
