using System.Management.Automation;

namespace ForgeOne.Commands;

/// <summary>
/// Base of every ForgeOne cmdlet: cancellation on Ctrl+C and one mapping from Core exceptions to error records.
/// </summary>
public abstract class ForgeCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C; pass it to every Core call.</summary>
    /// <remarks>We build against PowerShell Standard to support 7.4, so we keep our own token rather than 7.6's PipelineStopToken.</remarks>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Writes a non-terminating error for one item that failed; the caller decides with -ErrorAction.</summary>
    protected void WriteItemError(Exception exception, object? target) =>
        WriteError(ErrorMap.ToErrorRecord(exception, target));

    /// <summary>Stops the command: nothing else it was asked to do can succeed.</summary>
    protected void ThrowTerminating(Exception exception, object? target) =>
        ThrowTerminatingError(ErrorMap.ToErrorRecord(exception, target));

    /// <summary>Resolves a -Path value (wildcards allowed) to file system paths, writing an error when nothing matches.</summary>
    protected IEnumerable<string> ResolveFileSystemPaths(string path, bool literal)
    {
        List<string> resolved = [];
        try
        {
            if (literal)
            {
                resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _));
                RequireFileSystem(provider, path);
            }
            else
            {
                resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider));
                RequireFileSystem(provider, path);
            }
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, "FileNotFound", ErrorCategory.ObjectNotFound, path));
            return [];
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "PathNotOnFileSystem", ErrorCategory.InvalidArgument, path));
            return [];
        }

        return resolved;
    }

    private static void RequireFileSystem(ProviderInfo provider, string path)
    {
        if (provider.Name != "FileSystem")
        {
            throw new ArgumentException($"'{path}' is on the {provider.Name} provider; give a file system path.");
        }
    }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
