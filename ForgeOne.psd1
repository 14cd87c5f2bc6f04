@{
    RootModule           = 'ForgeOne.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3f7c-6b1e-4c57-9a8e-2f4b7d1e9c03'
    Author               = 'ForgeOne'
    CompanyName          = 'ForgeOne'
    Copyright            = '(c) ForgeOne. All rights reserved.'
    Description          = 'Encrypted, deduplicated, verifiable backups with signed evidence that they restore.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ForgeOne.format.ps1xml')
    TypesToProcess       = @('ForgeOne.types.ps1xml')
    CmdletsToExport      = @(
        'Get-ForgeHash'
        'New-ForgeKeyFile'
        'New-ForgeRepository'
        'New-ForgeBackup'
        'Get-ForgeBackup'
        'Restore-ForgeBackup'
        'Compare-ForgeBackup'
        'Test-ForgeSnapshot'
        'Test-ForgeRepository'
        'Get-ForgeKey'
        'Add-ForgeKey'
        'Remove-ForgeKey'
        'Unlock-ForgeRepository'
        'New-ForgeStore'
        'Get-ForgeStore'
        'Write-ForgeLog'
        'Get-ForgeLog'
        'Add-ForgeBlob'
        'Get-ForgeBlob'
        'Save-ForgeBlob'
        'Remove-ForgeBlob'
        'Send-ForgeEvent'
        'Get-ForgeEvent'
        'Set-ForgeCheckpoint'
        'New-ForgeSnapshot'
        'Get-ForgeSnapshot'
        'Remove-ForgeSubjectKey'
        'Update-ForgeStoreKey'
        'Set-ForgeRetentionPolicy'
        'Invoke-ForgeRetention'
        'Remove-ForgeBackup'
        'Optimize-ForgeRepository'
        'Set-ForgeLegalHold'
        'Clear-ForgeLegalHold'
        'Get-ForgeLegalHold'
        'Get-ForgeAuditLog'
        'Test-ForgeAuditLog'
        'Invoke-ForgeDrDrill'
        'Get-ForgeDrDrill'
        'Export-ForgeEvidence'
        'Test-ForgeEvidence'
        'Export-ForgeMetrics'
        'Set-ForgeAlert'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Backup', 'Restore', 'Encryption', 'Deduplication', 'BLAKE3', 'Compliance', 'DR')
            ProjectUri = 'https://github.com/forgeone/forgeone'
        }
    }
}
