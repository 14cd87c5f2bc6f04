namespace ForgeOne.Core.Store.Logs;

/// <summary>How serious a log entry is; the same levels as Microsoft.Extensions.Logging, lowest first.</summary>
public enum LogSeverity
{
    /// <summary>Step-by-step detail.</summary>
    Trace = 0,

    /// <summary>Developer diagnostics.</summary>
    Debug = 1,

    /// <summary>Normal operation.</summary>
    Information = 2,

    /// <summary>Something unexpected that did not stop the work.</summary>
    Warning = 3,

    /// <summary>An operation failed.</summary>
    Error = 4,

    /// <summary>The service cannot go on.</summary>
    Critical = 5,
}
