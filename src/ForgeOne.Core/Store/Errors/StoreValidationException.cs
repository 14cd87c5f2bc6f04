namespace ForgeOne.Core.Store;

/// <summary>Input to the store was refused: a field is missing, too large, malformed or out of range.</summary>
public sealed class StoreValidationException : StoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field that failed, for example <c>Topic</c>.</param>
    /// <param name="problem">What is wrong and what is accepted.</param>
    public StoreValidationException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    /// <summary>The field that failed.</summary>
    public string Field { get; }
}
