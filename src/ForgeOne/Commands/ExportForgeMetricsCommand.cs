using System.Management.Automation;
using ForgeOne.Core.Monitoring;

namespace ForgeOne.Commands;

/// <summary>Writes a repository's backup and drill metrics as Prometheus text for node_exporter's textfile collector.</summary>
/// <remarks>
/// Export-ForgeMetrics reads the repository's snapshots and drills and writes, in the Prometheus text exposition
/// format: repository size, packs and snapshots; per source (host and paths) the newest backup's time, age, duration,
/// size, added bytes and warnings; and drill counts, the newest drill's outcome, RTO and RPO with their objectives.
/// Names follow Prometheus conventions (forgeone_ prefix, base units, _total for counters); docs/design.md lists them.
/// The file is written whole under a temporary name and renamed, so the collector never reads half of it. Run it
/// after each backup or from a timer. The output is the file (FileInfo); -PassThru emits the text instead.
/// </remarks>
/// <example>
/// <code>Export-ForgeMetrics -Repository /backup/repo -Path /var/lib/node_exporter/textfile/forgeone.prom</code>
/// <para>Writes the metrics where node_exporter's textfile collector reads them.</para>
/// </example>
/// <example>
/// <code>Export-ForgeMetrics -Repository /backup/repo -Path ./forge.prom -PassThru | Select-String forgeone_backup_last_age_seconds</code>
/// <para>Writes the metrics and shows the age of each source's newest backup.</para>
/// </example>
[Cmdlet(VerbsData.Export, "ForgeMetrics", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo), typeof(string))]
public sealed class ExportForgeMetricsCommand : ForgeRepositoryCmdlet
{
    /// <summary>The text file to write, for example /var/lib/node_exporter/textfile/forgeone.prom.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Emit the metrics text instead of the file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string path;
        try
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is NotSupportedException)
        {
            ThrowTerminating(ex, Path);
            throw;
        }

        if (ShouldProcess(path, "Write the repository's metrics")
            && TryRunForItem("Writing metrics", path, (repository, _, ct) => RepositoryMetrics.WriteAsync(repository, path, ct), out var text))
        {
            WriteObject(PassThru ? text : new FileInfo(path));
        }
    }
}
