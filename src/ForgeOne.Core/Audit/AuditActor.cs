using System.Diagnostics;

namespace ForgeOne.Core.Audit;

/// <summary>Who did an audited operation: the user, the machine and the process.</summary>
/// <param name="User">The operating system user name (as <see cref="Environment.UserName"/> reports it).</param>
/// <param name="Host">The machine name.</param>
/// <param name="ProcessId">The process id, 0 when unknown.</param>
/// <param name="ProcessName">The process name (for example <c>pwsh</c> or <c>forge</c>), empty when unknown.</param>
/// <remarks>The actor is what the writing process says about itself: it is signed, so it cannot be changed later, but
/// a process holding the repository's keys can claim to be anyone (docs/design.md, "Audit log", threat model).</remarks>
public sealed record AuditActor(string User, string Host, int ProcessId, string ProcessName)
{
    /// <summary>The current user, machine and process.</summary>
    /// <returns>A new actor describing this process.</returns>
    public static AuditActor Current()
    {
        using var process = Process.GetCurrentProcess();
        return new AuditActor(Environment.UserName, Environment.MachineName, Environment.ProcessId, process.ProcessName);
    }

    /// <summary>Shows the actor as <c>user@host (name pid)</c>.</summary>
    /// <returns>For example <c>alice@build01 (pwsh 4242)</c>.</returns>
    public override string ToString() => $"{User}@{Host} ({ProcessName} {ProcessId})";
}
