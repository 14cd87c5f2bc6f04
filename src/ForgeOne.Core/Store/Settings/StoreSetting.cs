namespace ForgeOne.Core.Store.Settings;

/// <summary>One version of a store setting: its value, who set it and when.</summary>
/// <param name="Name">The setting's name, for example <c>retention.policy</c>.</param>
/// <param name="Value">The value set in this version.</param>
/// <param name="Version">1 for the first value, then one more for each change.</param>
/// <param name="ChangedBy">Who set it (a user or service name).</param>
/// <param name="ChangedAt">When it was set (UTC, microseconds).</param>
public sealed record StoreSetting(string Name, string Value, long Version, string ChangedBy, DateTimeOffset ChangedAt);
