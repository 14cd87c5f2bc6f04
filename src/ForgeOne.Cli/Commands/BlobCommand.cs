using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Blobs;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge blob add|get|list|remove</c>: named binary content in a store, chunked, deduplicated and sealed.</summary>
internal static class BlobCommand
{
    internal static Command Create() =>
        new("blob", "Store, read, list and remove named blobs (files of any size) in a store.") { AddCommand(), GetCommand(), ListCommand(), RemoveCommand() };

    private static Command AddCommand()
    {
        var options = new StoreOptions();
        var name = NameArgument();
        var file = new Option<string?>("--file", "-f") { Description = "The file to store; without it, standard input is stored." };
        var contentType = new Option<string?>("--content-type") { Description = $"The media type, for example image/png (default: {BlobAddOptions.DefaultContentType})." };
        var metadata = new Option<string[]>("--metadata") { Description = "A metadata field KEY=VALUE; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var subject = new Option<string?>("--subject") { Description = "The data subject the blob is about; its name and the --sensitive fields are sealed under the subject's key." };
        var sensitive = new Option<string[]>("--sensitive") { Description = "A metadata field that is personal data (needs --subject); repeat for more.", AllowMultipleArgumentsPerToken = false };
        var command = options.AddTo(new Command("add", "Store a file or standard input under a name, replacing any blob of that name.")
        {
            name, file, contentType, metadata, subject, sensitive,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var addOptions = new BlobAddOptions
            {
                ContentType = parse.GetValue(contentType),
                Metadata = LogCommand.ParseMetadata(parse.GetValue(metadata) ?? []),
                Subject = parse.GetValue(subject),
                SensitiveFields = parse.GetValue(sensitive) ?? [],
            };
            using var store = options.Open(parse);
            BlobMetadata blob;
            await using (var content = parse.GetValue(file) is { } path
                ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)
                : Console.OpenStandardInput())
            {
                blob = store.Blobs.Add(parse.GetRequiredValue(name), content, addOptions, ct);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, blob).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"added {blob.Name}: {TerminalProgress.Size(blob.Size)} in {blob.ChunkCount} chunks, BLAKE3 {blob.Checksum}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetCommand()
    {
        var options = new StoreOptions();
        var name = NameArgument();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (through a temporary name, renamed once every chunk checked out); without it, to standard output." };
        var force = new Option<bool>("--force") { Description = "Replace the --output file if it exists." };
        var command = options.AddTo(new Command("get", "Write a blob to a file or standard output, checking every chunk and the whole content's BLAKE3.") { name, output, force }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var store = options.Open(parse);
            if (parse.GetValue(output) is { } path)
            {
                var saved = store.Blobs.Save(parse.GetRequiredValue(name), path, parse.GetValue(force), ct);
                await Output.ErrorAsync(parse, string.Create(CultureInfo.InvariantCulture, $"wrote {saved.FullName} ({TerminalProgress.Size(saved.Length)})")).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            // A failed check throws before the end of the stream: the reader of stdout sees a non-zero exit code, and
            // must not trust what arrived (docs/cli.md).
            await using var source = store.Blobs.OpenRead(parse.GetRequiredValue(name));
            await using var stdout = Console.OpenStandardOutput();
            await source.CopyToAsync(stdout, 1 << 20, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new StoreOptions();
        var prefix = new Option<string?>("--prefix") { Description = "Only blobs whose name starts with this (case-sensitive)." };
        var command = options.AddTo(new Command("list", "List blobs by name: size, content type, creation time.") { prefix });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            IReadOnlyList<BlobMetadata> blobs;
            using (var store = options.Open(parse))
            {
                blobs = store.Blobs.List(parse.GetValue(prefix));
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, blobs).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var blob in blobs)
            {
                ct.ThrowIfCancellationRequested();
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"{blob.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {TerminalProgress.Size(blob.Size),10}  {blob.ContentType,-24}  {blob.Name}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RemoveCommand()
    {
        var options = new StoreOptions();
        var name = NameArgument();
        var command = options.AddTo(new Command("remove", "Remove a blob, and the chunks no other blob uses; exit 1 when there is no blob of that name.") { name }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var blobName = parse.GetRequiredValue(name);
            using var store = options.Open(parse);
            if (!store.Blobs.Remove(blobName))
            {
                throw new BlobNotFoundException(blobName);
            }

            await Output.LineAsync(parse, $"removed {blobName}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The blob's name, for example invoices/2025/0042.pdf (case-sensitive)." };
}
