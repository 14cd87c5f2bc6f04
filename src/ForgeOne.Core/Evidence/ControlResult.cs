namespace ForgeOne.Core.Evidence;

/// <summary>One framework control, the evidence in the package that addresses it, and its status.</summary>
public sealed record ControlResult
{
    /// <summary>The framework, for example <c>SOC 2</c>.</summary>
    public required string Framework { get; init; }

    /// <summary>The control's number, for example <c>A1.2</c> or <c>A.8.13</c>.</summary>
    public required string Control { get; init; }

    /// <summary>For ISO 27001:2022 controls, the ISO 27001:2013 number(s) it replaces; otherwise null.</summary>
    public string? Iso2013 { get; init; }

    /// <summary>The control's name.</summary>
    public required string Title { get; init; }

    /// <summary>The status for the period.</summary>
    public required ControlStatus Status { get; init; }

    /// <summary>What in the package shows it: file names and a sentence.</summary>
    public required string Evidence { get; init; }
}
