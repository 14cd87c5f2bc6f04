using System.CommandLine;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Hashing;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge hash FILE...</c>: BLAKE3 hashes, printed byte for byte as b3sum prints them.</summary>
internal static class HashCommand
{
    internal static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Files to hash; '-' reads standard input.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {algorithm, hash, path} objects." };
        var length = new Option<int>("--length", "-l") { Description = "Output length in bytes (BLAKE3 is extendable).", DefaultValueFactory = _ => Blake3.HashSize };
        var keyed = new Option<bool>("--keyed") { Description = "Keyed mode: read the 32-byte key from standard input, as b3sum does." };
        var noNames = new Option<bool>("--no-names") { Description = "Print only the hashes." };
        length.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<int>();
            if (value < 1 || value > FileHasher.MaxOutputLength)
            {
                r.AddError($"--length must be from 1 to {FileHasher.MaxOutputLength}.");
            }
        });

        var command = new Command("hash", "Compute BLAKE3 hashes of files; the output matches b3sum's.") { files, json, length, keyed, noNames };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, () => RunAsync(
            parse.GetRequiredValue(files), parse.GetValue(json), parse.GetValue(length), parse.GetValue(keyed), parse.GetValue(noNames),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct)));
        return command;
    }

    private static async Task<int> RunAsync(string[] files, bool json, int length, bool keyed, bool noNames, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var key = keyed ? await ReadKeyFromStdinAsync(cancellationToken).ConfigureAwait(false) : [];
        if (keyed && files.Contains("-"))
        {
            throw new ArgumentException("--keyed reads the key from standard input, so '-' cannot also be a file to hash.");
        }

        List<FileHash> results = [];
        var exitCode = ExitCodes.Success;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.Add(file == "-" ? await HashStdinAsync(length, cancellationToken).ConfigureAwait(false) : FileHasher.Hash(file, key, length));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // As b3sum does: report the file, hash the rest, fail at the end.
                await error.WriteLineAsync($"forge: {file}: {ex.Message}").ConfigureAwait(false);
                exitCode = ExitCodes.Failure;
                continue;
            }

            if (!json)
            {
                await output.WriteAsync(B3sumLine.Format(results[^1].Hash, file, noNames)).ConfigureAwait(false);
            }
        }

        if (json)
        {
            await output.WriteLineAsync(Json.Serialize(results)).ConfigureAwait(false);
        }

        return exitCode;
    }

    private static async Task<byte[]> ReadKeyFromStdinAsync(CancellationToken cancellationToken)
    {
        var key = new byte[Blake3.KeySize + 1];
        await using var stdin = Console.OpenStandardInput();
        var read = await stdin.ReadAtLeastAsync(key, key.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read != Blake3.KeySize)
        {
            throw new ArgumentException($"--keyed needs exactly {Blake3.KeySize} bytes of key on standard input; got {(read > Blake3.KeySize ? "more" : read.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        return key[..Blake3.KeySize];
    }

    private static async Task<FileHash> HashStdinAsync(int length, CancellationToken cancellationToken)
    {
        using var hasher = Blake3Hasher.Create();
        var buffer = new byte[1 << 16];
        await using var stdin = Console.OpenStandardInput();
        int read;
        while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hasher.Update(buffer.AsSpan(0, read));
        }

        return new FileHash("BLAKE3", hasher.FinalizeHex(length), "-");
    }
}
