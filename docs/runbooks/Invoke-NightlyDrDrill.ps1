<#
.SYNOPSIS
    Azure Automation runbook: a nightly disaster-recovery drill with ForgeOne, evidence for the auditors, and
    metrics for monitoring. Fails the job (and so the alert rule on it) when the drill fails.

.DESCRIPTION
    Import the ForgeOne module into the Automation account (Modules > Add a module > the zip of out/ForgeOne/<version>),
    then create:
      * an Automation credential "ForgeOne-Repository" whose password is the repository passphrase;
      * Automation variables "ForgeRepository" (the repository location) and "ForgeEvidenceShare" (a folder or
        mounted file share for evidence packages).
    Schedule the runbook daily. It runs without prompts: credentials come from the Automation credential, never from
    the script.
#>
param(
    [timespan] $RpoObjective = '1.00:00:00',
    [timespan] $RtoObjective = '08:00:00'
)

$ErrorActionPreference = 'Stop'
Import-Module ForgeOne

$repository = Get-AutomationVariable -Name 'ForgeRepository'
$credential = Get-AutomationPSCredential -Name 'ForgeOne-Repository'
$evidence = Get-AutomationVariable -Name 'ForgeEvidenceShare'

# Restore the newest backup into scratch space, check its DNA, and prove the application data is usable.
$drill = Invoke-ForgeDrDrill -Repository $repository -Credential $credential -Latest `
    -RpoObjective $RpoObjective -RtoObjective $RtoObjective -Validation {
        param($Path)
        # Replace with your own check, e.g. open the restored database and count rows.
        (Get-ChildItem -Recurse -File $Path | Measure-Object).Count -gt 0
    }

$drill | Format-List Passed, Rto, Rpo, SnapshotId, DnaHash
$drill.Checks | Format-Table Name, Passed, Detail -AutoSize

# Monthly evidence package for SOC 2 / ISO 27001 / GDPR, signed, with report.html for people.
if ((Get-Date).Day -eq 1) {
    $package = Join-Path $evidence ("forgeone-evidence-{0:yyyy-MM}.zip" -f (Get-Date).AddMonths(-1))
    Export-ForgeEvidence -Repository $repository -Credential $credential -Path $package `
        -From (Get-Date).AddMonths(-1).Date -To (Get-Date).Date -Framework SOC2, ISO27001, GDPR -RpoObjective $RpoObjective
    Test-ForgeEvidence -Path $package | Format-List Passed, FilesChecked, Problems
}

if (-not $drill.Passed) {
    throw "DR drill $($drill.Id) failed: $(($drill.Failures | ForEach-Object { "$($_.Name): $($_.Detail)" }) -join '; ')"
}
