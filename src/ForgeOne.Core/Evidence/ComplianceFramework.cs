namespace ForgeOne.Core.Evidence;

/// <summary>The frameworks an evidence package maps its evidence to.</summary>
[Flags]
public enum ComplianceFramework
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SOC 2 Trust Services Criteria (2017, revised points of focus 2022).</summary>
    Soc2 = 1,

    /// <summary>ISO/IEC 27001:2022 Annex A, with the 2013 numbers alongside.</summary>
    Iso27001 = 2,

    /// <summary>The EU General Data Protection Regulation.</summary>
    Gdpr = 4,

    /// <summary>All three.</summary>
    All = Soc2 | Iso27001 | Gdpr,
}
