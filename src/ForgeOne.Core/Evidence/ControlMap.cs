namespace ForgeOne.Core.Evidence;

/// <summary>
/// Maps framework controls to the evidence an evidence package holds and judges each for the period: SOC 2 A1.2,
/// A1.3, CC6.1, CC7.2, CC7.5; ISO 27001:2022 A.8.13, A.8.15, A.8.24, A.5.30, A.5.33 (with their 2013 numbers); GDPR
/// Art. 5(1)(e), 17, 30, 32(1)(b), 32(1)(c), 32(1)(d).
/// </summary>
internal static class ControlMap
{
    internal static IReadOnlyList<ControlResult> Evaluate(EvidenceFacts facts, ComplianceFramework frameworks)
    {
        var backups = Status(facts.Snapshots > 0, facts.SnapshotsWithDna == facts.Snapshots && (facts.RpoObjective is null || facts.WorstRpo <= facts.RpoObjective));
        var drills = Status(facts.Drills > 0, facts.DrillsPassed == facts.Drills);
        var testing = Status(facts.Drills + facts.Verifications > 0, facts.DrillsPassed == facts.Drills && facts.VerificationsPassed == facts.Verifications);
        var audit = Status(facts.AuditRecords > 0, facts.AuditLogVerified);
        var retention = facts.RetentionPolicy ? ControlStatus.Satisfied : ControlStatus.NoEvidence;
        var encryption = ControlStatus.Satisfied;
        var backupText = $"snapshots.json / snapshots.csv: {facts.Snapshots} snapshots in the period, each with its DNA hash"
            + (facts.WorstRpo is { } rpo ? $"; longest gap between backups {rpo.TotalHours:0.#} h" + (facts.RpoObjective is { } objective ? $" against an RPO objective of {objective.TotalHours:0.#} h" : "") : "");
        var drillText = $"drills.json: {facts.DrillsPassed} of {facts.Drills} disaster-recovery drills passed (restore, DNA, integrity, validation, RTO/RPO)";
        var testText = $"drills.json and verifications.json: {facts.DrillsPassed}/{facts.Drills} drills and {facts.VerificationsPassed}/{facts.Verifications} verifications passed";
        var auditText = $"audit/log.jsonl: {facts.AuditRecords} signed, hash-chained records; audit/verification.json: chain {(facts.AuditLogVerified ? "verified" : "NOT verified")}";
        var cryptoText = "manifest.json: every object AES-256-GCM sealed under keys derived from a master key wrapped by Argon2id key slots; BLAKE3 content ids; Ed25519-signed manifest";
        var retentionText = facts.RetentionPolicy
            ? $"retention/policy.json: the retention policy and its history; {facts.LegalHolds} legal holds"
            : "retention/policy.json: no retention policy is set";

        var all = new List<ControlResult>();
        if (frameworks.HasFlag(ComplianceFramework.Soc2))
        {
            all.Add(Control("SOC 2", "A1.2", null, "Environmental protections, software, data back-up processes and recovery infrastructure", backups, backupText));
            all.Add(Control("SOC 2", "A1.3", null, "Recovery plan procedures are tested", drills, drillText));
            all.Add(Control("SOC 2", "CC6.1", null, "Logical access security and encryption protect information assets", encryption, cryptoText));
            all.Add(Control("SOC 2", "CC7.2", null, "System components are monitored for anomalies", audit, auditText));
            all.Add(Control("SOC 2", "CC7.5", null, "Activities to recover from identified security incidents", drills, drillText));
        }

        if (frameworks.HasFlag(ComplianceFramework.Iso27001))
        {
            all.Add(Control("ISO 27001:2022", "A.8.13", "A.12.3.1", "Information backup", backups, backupText));
            all.Add(Control("ISO 27001:2022", "A.8.15", "A.12.4.1, A.12.4.2, A.12.4.3", "Logging", audit, auditText));
            all.Add(Control("ISO 27001:2022", "A.8.24", "A.10.1.1, A.10.1.2", "Use of cryptography", encryption, cryptoText));
            all.Add(Control("ISO 27001:2022", "A.5.30", "none: new in 2022 (nearest A.17.1.3)", "ICT readiness for business continuity", drills, drillText));
            all.Add(Control("ISO 27001:2022", "A.5.33", "A.18.1.3", "Protection of records", Worst(audit, retention), auditText + "; " + retentionText));
        }

        if (frameworks.HasFlag(ComplianceFramework.Gdpr))
        {
            all.Add(Control("GDPR", "Art. 5(1)(e)", null, "Storage limitation", retention, retentionText));
            all.Add(Control("GDPR", "Art. 17", null, "Right to erasure", retention, retentionText + "; store subject keys are erased by crypto-shredding (Remove-ForgeSubjectKey), which reaches backups too"));
            all.Add(Control("GDPR", "Art. 30", null, "Records of processing activities", audit, auditText));
            all.Add(Control("GDPR", "Art. 32(1)(b)", null, "Ongoing confidentiality, integrity, availability and resilience", Worst(encryption, backups), cryptoText + "; " + backupText));
            all.Add(Control("GDPR", "Art. 32(1)(c)", null, "Ability to restore availability and access to data in a timely manner", drills, drillText));
            all.Add(Control("GDPR", "Art. 32(1)(d)", null, "Regular testing and evaluation of the measures", testing, testText));
        }

        return all;
    }

    private static ControlStatus Status(bool any, bool clean) => !any ? ControlStatus.NoEvidence : clean ? ControlStatus.Satisfied : ControlStatus.Partial;

    private static ControlStatus Worst(ControlStatus left, ControlStatus right) => (ControlStatus)Math.Max((int)left, (int)right);

    private static ControlResult Control(string framework, string control, string? iso2013, string title, ControlStatus status, string evidence) =>
        new() { Framework = framework, Control = control, Iso2013 = iso2013, Title = title, Status = status, Evidence = evidence };
}
