using System.Diagnostics;
using System.Text;

namespace ForgeOne.Tests.Harness;

/// <summary>Looks at a store's database files from outside: their raw bytes, and SQLite's own integrity check.</summary>
public static class StoreFiles
{
    /// <summary>Every *.redb* file under <paramref name="folder"/> (with -wal and -shm files, snapshots and kept versions).</summary>
    public static IReadOnlyList<string> All(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.redb*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>The files among <see cref="All"/> whose bytes contain <paramref name="text"/> as UTF-8 or UTF-16.</summary>
    public static IReadOnlyList<string> Containing(string folder, string text)
    {
        var needles = new[] { Encoding.UTF8.GetBytes(text), Encoding.Unicode.GetBytes(text) };
        return [.. All(folder).Where(file =>
        {
            var bytes = File.ReadAllBytes(file);
            return needles.Any(needle => bytes.AsSpan().IndexOf(needle) >= 0);
        })];
    }

    /// <summary>What the sqlite3 command-line tool says to <c>PRAGMA integrity_check</c> on <paramref name="file"/>.</summary>
    public static string IntegrityCheck(string file) => Sqlite3(file, "PRAGMA integrity_check");

    /// <summary>Runs one statement through the sqlite3 command-line tool and returns what it printed.</summary>
    public static string Sqlite3(string file, string sql)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [file, sql])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    /// <summary>Fails unless sqlite3 says ok for every database file of the store (not -wal or -shm files).</summary>
    public static void ShouldAllPassIntegrityCheck(string folder)
    {
        var databases = All(folder).Where(file => file.EndsWith(".redb", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(databases);
        Assert.All(databases, file => Assert.Equal("ok", IntegrityCheck(file)));
    }
}
