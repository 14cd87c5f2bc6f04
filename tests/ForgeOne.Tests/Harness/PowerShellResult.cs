using System.Management.Automation;

namespace ForgeOne.Tests.Harness;

/// <summary>Everything one script run produced, stream by stream.</summary>
public sealed record PowerShellResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<ProgressRecord> Progress,
    IReadOnlyList<InformationRecord> Information,
    ErrorRecord? Terminating)
{
    /// <summary>The base objects of the output, unwrapped from their PSObjects.</summary>
    public IEnumerable<object> BaseObjects => Output.Select(o => o.BaseObject);

    /// <summary>Fails the test, with every error's text, unless the script ran clean.</summary>
    public PowerShellResult ShouldSucceed()
    {
        var problems = Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}").ToList();
        if (Terminating is not null)
        {
            problems.Insert(0, $"terminating {Terminating.FullyQualifiedErrorId}: {Terminating}");
        }

        Assert.True(problems.Count == 0, "script failed:\n" + string.Join('\n', problems));
        return this;
    }

    /// <summary>A property of the single output object.</summary>
    public object? Property(string property) => Assert.Single(Output).Properties[property]?.Value;

    /// <summary>FullyQualifiedErrorIds of the non-terminating errors.</summary>
    public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId);
}
