namespace ForgeOne.Core.Audit;

/// <summary>How an audited operation ended. Written in records as <c>succeeded</c>, <c>failed</c> or <c>denied</c>.</summary>
public enum AuditOutcome
{
    /// <summary>The operation did what was asked.</summary>
    Succeeded = 1,

    /// <summary>The operation ran and failed (storage error, damaged data, cancellation); see the record's error.</summary>
    Failed = 2,

    /// <summary>The operation was refused: wrong credentials, a missing permission, a policy that forbids it.</summary>
    Denied = 3,
}
