using System.Management.Automation;

namespace ForgeOne.Tests.Harness;

/// <summary>Reads properties of output objects by name: Core types live in the module's private load context, so tests cannot name them.</summary>
public static class PSObjectExtensions
{
    /// <summary>The value of <paramref name="name"/>, which must exist.</summary>
    public static object? Get(this PSObject value, string name) =>
        (value.Properties[name] ?? throw new Xunit.Sdk.XunitException($"{value.BaseObject.GetType().Name} has no property {name}")).Value;

    /// <summary>The value of <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    public static T Get<T>(this PSObject value, string name) => (T)value.Get(name)!;

    /// <summary>The items of a list property, wrapped for reading their own properties.</summary>
    public static IReadOnlyList<PSObject> Items(this PSObject value, string name) =>
        ((System.Collections.IEnumerable)value.Get(name)!).Cast<object>().Select(PSObject.AsPSObject).ToList();

    /// <summary>The type name of the base object, e.g. Snapshot.</summary>
    public static string TypeName(this PSObject value) => value.BaseObject.GetType().Name;
}
