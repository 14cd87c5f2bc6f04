using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Evidence;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge evidence export|verify</c>: signed compliance evidence packages, checked offline.</summary>
internal static class EvidenceCommand
{
    internal static Command Create() =>
        new("evidence", "Export a signed evidence package (zip with report.html, CSVs, the audit log) and verify one offline.") { ExportCommand(), VerifyCommand() };

    private static Command ExportCommand()
    {
        var options = new RepositoryOptions();
        var output = new Option<string>("--output", "-o") { Description = "The zip file to write (written under a temporary name, then renamed).", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the period (ISO 8601; default 90 days before --to)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the period (ISO 8601; default now)." };
        var framework = FrameworkOption();
        var rpo = Durations.Option("--rpo", "Recovery point objective the backup timeline is drawn against");
        var force = new Option<bool>("--force") { Description = "Replace an existing file at --output." };
        var command = options.AddTo(new Command("export", "Write a signed evidence package of the period: snapshots, checks, drills, holds, policy and key changes, the audit log and its verification, mapped to SOC 2, ISO 27001 and GDPR controls.")
        {
            output, from, to, framework, rpo, force,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var package = await EvidenceExporter.ExportAsync(repository, new EvidenceOptions
            {
                Path = Path.GetFullPath(parse.GetValue(output)!),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Frameworks = ParseFrameworks(parse.GetValue(framework)) ?? ComplianceFramework.All,
                RpoObjective = Durations.Get(parse, rpo),
                Force = parse.GetValue(force),
            }, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, package).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                $"wrote {package.Path}: {package.Files} files, {TerminalProgress.Size(package.Bytes)}, {package.From.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {package.To.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, {package.Controls.Count} controls")).ConfigureAwait(false);
            await Output.LineAsync(parse, $"open {package.Report} inside it for the report; signed with public key {package.PublicKey}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command VerifyCommand()
    {
        var file = new Argument<string>("FILE") { Description = "The evidence package (zip)." };
        var publicKey = new Option<string?>("--public-key") { Description = "The audit public key (64 hex digits) the package must be signed with, from a source you trust; without it the key the package names is used and printed." };
        publicKey.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (!AuditPublicKey.TryParse(text, out _))
            {
                result.AddError($"--public-key '{text}' is not an audit public key (64 hex digits).");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (the PowerShell object's fields, camelCase)." };
        var command = new Command("verify", "Check an evidence package offline (no repository needed): the manifest's signature, every file's hash, and the audit log's chain. Exit 3 when anything fails.")
        {
            file, publicKey, json,
        };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var result = EvidenceVerifier.Verify(parse.GetValue(file)!, parse.GetValue(publicKey));
            if (parse.GetValue(json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else
            {
                foreach (var problem in result.Problems)
                {
                    await Output.LineAsync(parse, $"{problem.File}: {problem.Reason}").ConfigureAwait(false);
                }

                await Output.LineAsync(parse, result.Passed
                    ? string.Create(CultureInfo.InvariantCulture, $"verified {result.Path}: {result.FilesChecked} files, signed with public key {result.PublicKey}")
                    : string.Create(CultureInfo.InvariantCulture, $"{result.Problems.Count} problem(s) in {result.Path}")).ConfigureAwait(false);
            }

            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));
        return command;
    }

    private static Option<string?> FrameworkOption()
    {
        var option = new Option<string?>("--framework") { Description = "The frameworks to map, a comma list of SOC2, ISO27001, GDPR (default all)." };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>() ?? "";
            if (ParseFrameworks(text) is null or ComplianceFramework.None)
            {
                result.AddError($"--framework '{text}' is not a comma list of SOC2, ISO27001 and GDPR.");
            }
        });
        return option;
    }

    private static ComplianceFramework? ParseFrameworks(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var frameworks = ComplianceFramework.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())
            {
                case "SOC2": frameworks |= ComplianceFramework.Soc2; break;
                case "ISO27001": frameworks |= ComplianceFramework.Iso27001; break;
                case "GDPR": frameworks |= ComplianceFramework.Gdpr; break;
                default: return null;
            }
        }

        return frameworks;
    }
}
