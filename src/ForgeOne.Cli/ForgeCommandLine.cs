using System.CommandLine;
using System.CommandLine.Invocation;
using ForgeOne.Cli.Commands;

namespace ForgeOne.Cli;

/// <summary>The <c>forge</c> command tree: every subcommand is a thin front end over ForgeOne.Core.</summary>
public static class ForgeCommandLine
{
    /// <summary>How long a command may take to stop after Ctrl+C or SIGTERM before forge exits without it.</summary>
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Builds the root command with all subcommands.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("ForgeOne: encrypted, deduplicated, verifiable backups with signed evidence that they restore.");
        root.Subcommands.Add(HashCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(RepoCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(CheckCommands.Snapshot());
        root.Subcommands.Add(CheckCommands.Check());
        root.Subcommands.Add(StoreCommand.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(EventCommand.Create());
        root.Subcommands.Add(BlobCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(ForgetCommand.Create());
        root.Subcommands.Add(HoldCommand.Create());
        root.Subcommands.Add(PruneCommand.Create());
        root.Subcommands.Add(DrillCommand.Create());
        root.Subcommands.Add(EvidenceCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(AlertCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // One documented exit code for every usage error, where System.CommandLine alone would return 1.
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"forge: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'forge --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // A new InvocationConfiguration leaves ProcessTerminationTimeout null, which registers no signal handler: Ctrl+C or
        // SIGTERM then killed forge on the spot, leaving its lock and temporary files. With a timeout, the signal cancels
        // the token Core runs under, so the command unwinds (deletes its temporary files, releases its lock) and exits
        // 130; only a command still running after the timeout is abandoned.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TerminationTimeout };
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
