using ForgeOne.Core.Progress;

namespace ForgeOne.Core.Tests.Backup;

/// <summary>
/// Runs a callback on the reporting thread, at the moment of each report (unlike <see cref="Progress{T}"/>, which
/// posts later), so a test can act at a known point of an operation: cancel it, or change the files it reads.
/// </summary>
internal sealed class InlineProgress(Action<OperationProgress> onReport) : IProgress<OperationProgress>
{
    public void Report(OperationProgress value) => onReport(value);
}
