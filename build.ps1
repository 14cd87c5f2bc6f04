#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests or packages ForgeOne; a thin wrapper over the commands README gives.
.EXAMPLE
    ./build.ps1 Package; Import-Module ./out/ForgeOne/0.1.0/ForgeOne.psd1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

switch ($Task) {
    'Build'   { dotnet build ForgeOne.sln -c $Configuration }
    # Building the module project lays out out/ForgeOne/<version>/, ready for Import-Module.
    'Package' { dotnet build src/ForgeOne/ForgeOne.csproj -c $Configuration }
    'Test'    { if ($IsLinux) { bash .ci/run } else { dotnet test ForgeOne.sln -c $Configuration } }
}
if ($LASTEXITCODE) { exit $LASTEXITCODE }
