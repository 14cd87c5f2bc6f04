using System.Runtime;
using ForgeOne.Core.Configuration;

namespace ForgeOne.Cli;

/// <summary>
/// Turns on .NET's multicore JIT for the command being run: the runtime records which methods a command compiled
/// and, on the next run of the same command, compiles them ahead on another core while the first one works.
/// </summary>
/// <remarks>
/// <para><c>forge</c> is published ReadyToRun, but about 1,100 generic instantiations of framework types over ForgeOne's
/// (async state machines, collections) and ZstdSharp's methods (left to the JIT, which compiles its loops better) are
/// still compiled when first called: a third of the CPU time of a short command such as a re-backup with little to do.
/// Profiles are per command (<c>backup-create</c>, <c>snapshot-verify</c>) and per build of forge, under the user's cache
/// folder (<c>$XDG_CACHE_HOME/forgeone/jit/&lt;build&gt;</c>, <c>~/.cache/forgeone/jit/&lt;build&gt;</c>, or
/// <c>%LOCALAPPDATA%\ForgeOne\jit\&lt;build&gt;</c>); <c>FORGE_JIT_PROFILE=0</c> turns this off. A folder that cannot be
/// created or written is skipped silently: the profile only ever saves time.</para>
/// <para>Why per build: a run records what it compiled, including what it compiled only because the profile named it,
/// so a method one build needed stayed in the profile for good. Profiles of earlier builds had carried 2,300 such
/// methods (the managed zstd decoder among them) into every backup, compiled on a two-core machine for nothing. A new
/// build starts a new profile, and the folders of other builds are removed.</para>
/// </remarks>
internal static class StartupProfile
{
    /// <summary>Starts recording (and replaying) the profile of the command in <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    public static void Start(string[] args)
    {
        if (Environment.GetEnvironmentVariable("FORGE_JIT_PROFILE") == "0" || Folder() is not { } folder)
        {
            return;
        }

        try
        {
            var build = Path.Combine(folder, BuildId());
            Directory.CreateDirectory(build);
            RemoveOtherBuilds(folder, build);
            ProfileOptimization.SetProfileRoot(build);
            ProfileOptimization.StartProfile(Name(args) + ".jitprofile");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No cache folder to write to: run without a profile.
        }
    }

    // The modules whose methods a profile names: a change to either is a new build.
    internal static string BuildId()
    {
        Span<byte> ids = stackalloc byte[32];
        typeof(StartupProfile).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids);
        typeof(Core.Repository.Repository).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids[16..]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ids)[..8]);
    }

    // Best effort: another build running at this moment only loses its profile, and a folder in use stays.
    private static void RemoveOtherBuilds(string folder, string current)
    {
        foreach (var other in Directory.EnumerateFileSystemEntries(folder))
        {
            if (Path.GetFullPath(other) == Path.GetFullPath(current))
            {
                continue;
            }

            try
            {
                if (Directory.Exists(other))
                {
                    Directory.Delete(other, recursive: true);
                }
                else
                {
                    File.Delete(other);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for a later run.
            }
        }
    }

    // The command's words before its first option or argument that is not a subcommand name: "backup-create".
    private static string Name(string[] args)
    {
        var words = args.TakeWhile(arg => !arg.StartsWith('-')).Take(2)
            .Where(word => word.All(character => char.IsAsciiLetterLower(character) || character == '-'))
            .ToArray();
        return words.Length == 0 ? "forge" : string.Join('-', words);
    }

    private static string? Folder()
    {
        if (OperatingSystem.IsWindows())
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return local.Length == 0 ? null : Path.Combine(local, "ForgeOne", "jit");
        }

        return XdgFolders.BaseDirectory("XDG_CACHE_HOME", ".cache") is { } cache ? Path.Combine(cache, "forgeone", "jit") : null;
    }
}
