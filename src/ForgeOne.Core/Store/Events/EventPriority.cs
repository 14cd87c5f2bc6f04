namespace ForgeOne.Core.Store.Events;

/// <summary>How urgent an event is, lowest first.</summary>
public enum EventPriority
{
    /// <summary>Can wait.</summary>
    Low = 0,

    /// <summary>The usual.</summary>
    Normal = 1,

    /// <summary>Handle soon.</summary>
    High = 2,

    /// <summary>Handle now.</summary>
    Critical = 3,
}
