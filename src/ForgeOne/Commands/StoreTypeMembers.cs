using System.Management.Automation;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Commands;

/// <summary>Code properties ForgeOne.types.ps1xml adds to store objects; not for use from scripts.</summary>
public static class StoreTypeMembers
{
    /// <summary>
    /// The ContinuationToken of a log entry read back: pass it to Get-ForgeLog -After to continue right after the
    /// entry. Empty for an entry that was never stored.
    /// </summary>
    /// <param name="instance">The entry, as PowerShell wraps it.</param>
    /// <returns>The token.</returns>
    public static string LogEntryContinuationToken(PSObject instance) =>
        instance?.BaseObject is LogEntry { Id: not 0 } entry
            ? new IndexPosition(IndexPosition.Micros(entry.Timestamp), entry.Id).ToString()
            : "";

    /// <summary>
    /// The ContinuationToken of an event read back: pass it to Get-ForgeEvent -After to continue a time-ordered read
    /// right after the event. Empty for an event that was never stored.
    /// </summary>
    /// <param name="instance">The event, as PowerShell wraps it.</param>
    /// <returns>The token.</returns>
    public static string EventMessageContinuationToken(PSObject instance) =>
        instance?.BaseObject is EventMessage { Id: not 0 } message
            ? new IndexPosition(IndexPosition.Micros(message.Timestamp), message.Id).ToString()
            : "";
}
