using System.CommandLine;
using System.Diagnostics;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Demo;
using ForgeOne.Core.Hashing;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge demo</c>: the main job on an embedded default, so a fresh clone shows what ForgeOne does.</summary>
internal static class DemoCommand
{
    internal static Command Create()
    {
        var directory = new Option<string?>("--dir") { Description = "Work here instead of a new temporary folder (kept afterwards)." };
        var command = new Command("demo", "Generate sample data, hash it with BLAKE3 and create a key file; prints a summary table.") { directory };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error,
            () => RunAsync(parse.GetValue(directory), parse.InvocationConfiguration.Output, ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? directory, TextWriter output, CancellationToken cancellationToken)
    {
        var root = directory ?? Directory.CreateTempSubdirectory("forge-demo-").FullName;
        var sample = Path.Combine(root, "sample");
        await output.WriteLineAsync($"ForgeOne demo in {root}").ConfigureAwait(false);

        var files = SampleData.Generate(sample);
        var clock = Stopwatch.StartNew();
        List<(FileHash Hash, long Size)> hashes = [];
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hashes.Add((FileHasher.Hash(file), new FileInfo(file).Length));
        }

        var elapsed = clock.Elapsed;
        var keyFile = Path.Combine(root, "demo.key");
        KeyFile.Generate(keyFile, force: true);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{"file",-34} {"bytes",10}  blake3").ConfigureAwait(false);
        foreach (var (hash, size) in hashes)
        {
            await output.WriteLineAsync($"{Path.GetRelativePath(sample, hash.Path).Replace('\\', '/'),-34} {size,10}  {hash.Hash}").ConfigureAwait(false);
        }

        var total = hashes.Sum(h => h.Size);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{hashes.Count} files, {total:N0} bytes hashed in {elapsed.TotalMilliseconds:N1} ms").ConfigureAwait(false);
        await output.WriteLineAsync($"key file: {keyFile} ({new FileInfo(keyFile).Length} bytes)").ConfigureAwait(false);
        await output.WriteLineAsync("Check any line with: b3sum <file>").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
