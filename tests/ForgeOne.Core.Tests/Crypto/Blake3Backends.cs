using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Theory data: every backend, forced in turn (the vector ones run in software where the CPU lacks them).</summary>
public sealed class Blake3Backends : TheoryData<string>
{
    public Blake3Backends()
    {
        foreach (Blake3Backend backend in Enum.GetValues<Blake3Backend>())
        {
            Add(backend.ToString());
        }
    }

    internal static Blake3Backend Parse(string name) => Enum.Parse<Blake3Backend>(name);
}
