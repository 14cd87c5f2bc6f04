#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
  Disaster-recovery drills as Pester tests: the way an operations team proves, every night, that backups restore.
  Run by the GitHub workflow with real pwsh and Pester 5 against the packaged module:
      Invoke-Pester -Path tests/Pester -Output Detailed
  FORGEONE_MODULE may point at the module manifest; otherwise the built one under out/ is used.
#>

BeforeAll {
    $manifest = $env:FORGEONE_MODULE
    if (-not $manifest) {
        $manifest = Get-ChildItem (Join-Path $PSScriptRoot '../../out/ForgeOne/*/ForgeOne.psd1') | Select-Object -First 1 -ExpandProperty FullName
    }
    Import-Module $manifest -Force -ErrorAction Stop

    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("forge-pester-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:key = Join-Path $work 'repo.key'
    $script:repo = Join-Path $work 'repo'
    $script:source = Join-Path $work 'data'
    New-Item -ItemType Directory -Path $source | Out-Null
    1..20 | ForEach-Object { Set-Content -Path (Join-Path $source "file$_.txt") -Value ("line $_`n" * 200) }
    Set-Content -Path (Join-Path $source 'orders.csv') -Value "id,total`n1,10`n2,20`n3,30"

    New-ForgeKeyFile -Path $key | Out-Null
    New-ForgeRepository -Path $repo -KeyFile $key | Out-Null
    New-ForgeBackup -Repository $repo -KeyFile $key -Path $source | Out-Null
}

AfterAll {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Nightly DR drill' {
    It 'restores the latest backup, verifies it and meets the objectives' {
        $drill = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -RpoObjective '24:00:00' -RtoObjective '08:00:00' -Validation {
            param($Path)
            (Import-Csv (Join-Path $Path 'data/orders.csv')).Count -eq 3
        }

        $drill.Passed | Should -BeTrue
        $drill.Rto | Should -BeLessThan ([timespan]'08:00:00')
        $drill.Rpo | Should -BeLessThan ([timespan]'24:00:00')
        ($drill.Checks | Where-Object Name -eq 'dna').Passed | Should -BeTrue
        ($drill.Checks | Where-Object Name -eq 'validation').Passed | Should -BeTrue
    }

    It 'fails, naming the check, when the validation fails' {
        $drill = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -Validation { param($Path) $false }

        $drill.Passed | Should -BeFalse
        $drill.Failures.Name | Should -Contain 'validation'
    }

    It 'fails when the backup is older than the recovery point objective' {
        $drill = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -RpoObjective '00:00:00.001'

        $drill.Passed | Should -BeFalse
        $drill.Failures.Name | Should -Contain 'rpo'
    }

    It 'keeps every drill in the repository for the auditors' {
        (Get-ForgeDrDrill -Repository $repo -KeyFile $key).Count | Should -BeGreaterOrEqual 3
    }
}
