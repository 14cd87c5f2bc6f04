using System.Management.Automation;
using ForgeOne.Core.Verification;

namespace ForgeOne.Commands;

/// <summary>Rejects a -ReadDataSubset value that is neither K/M nor P% when the parameter binds, before anything is read.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateDataSubsetAttribute : ValidateArgumentsAttribute
{
    /// <summary>Parses the value with Core's parser, whose message says what is allowed.</summary>
    /// <param name="arguments">The bound value.</param>
    /// <param name="engineIntrinsics">Not used.</param>
    /// <exception cref="ValidationMetadataException">The value is not a data subset.</exception>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        try
        {
            DataSubset.Parse(arguments?.ToString() ?? "");
        }
        catch (ArgumentException ex)
        {
            throw new ValidationMetadataException(ex.Message, ex);
        }
    }

    /// <summary>The part of the data a check reads: the subset, everything with -ReadData, or nothing (null).</summary>
    /// <param name="readData">-ReadData.</param>
    /// <param name="subset">-ReadDataSubset, already validated, or null.</param>
    /// <returns>The subset, <see cref="DataSubset.All"/>, or null.</returns>
    internal static DataSubset? Choose(bool readData, string? subset) =>
        subset is not null ? DataSubset.Parse(subset) : readData ? DataSubset.All : null;
}
