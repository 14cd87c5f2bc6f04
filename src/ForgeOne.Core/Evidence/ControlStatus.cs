namespace ForgeOne.Core.Evidence;

/// <summary>How well the package's evidence covers a control for the period.</summary>
public enum ControlStatus
{
    /// <summary>The evidence shows the control operating in the period.</summary>
    Satisfied = 0,

    /// <summary>Some evidence, but with failures or gaps the auditor should look at.</summary>
    Partial = 1,

    /// <summary>Nothing in the period shows the control operating.</summary>
    NoEvidence = 2,
}
