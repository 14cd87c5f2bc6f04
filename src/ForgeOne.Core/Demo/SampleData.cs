using System.Globalization;
using System.Text;

namespace ForgeOne.Core.Demo;

/// <summary>
/// A small, deterministic sample tree (log-like text, random binaries, nested folders) for the demo and for
/// trying ForgeOne without real data.
/// </summary>
public static class SampleData
{
    /// <summary>Writes the sample under <paramref name="directory"/> and returns the files written.</summary>
    /// <param name="directory">Created if missing; existing files of the same names are replaced.</param>
    /// <param name="seed">Same seed, same bytes.</param>
    public static IReadOnlyList<string> Generate(string directory, int seed = 42)
    {
        var random = new Random(seed);
        List<string> files = [];
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "data", "images"));

        for (var day = 1; day <= 3; day++)
        {
            var log = new StringBuilder();
            for (var line = 0; line < 2000; line++)
            {
                log.Append(CultureInfo.InvariantCulture, $"2026-11-{day:00}T{line / 100 % 24:00}:{line % 60:00}:{random.Next(60):00}Z ")
                    .Append(random.Next(10) == 0 ? "WARN " : "INFO ")
                    .Append(CultureInfo.InvariantCulture, $"request id={random.Next():x8} path=/api/v1/items/{random.Next(1000)} status=200 ms={random.Next(500)}\n");
            }

            files.Add(Write(Path.Combine(directory, "logs", $"app-2026-11-{day:00}.log"), Encoding.UTF8.GetBytes(log.ToString())));
        }

        foreach (var (name, size) in new[] { ("photo-1.bin", 3 << 20), ("photo-2.bin", 1 << 20), ("thumb.bin", 40_000) })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            files.Add(Write(Path.Combine(directory, "data", "images", name), bytes));
        }

        files.Add(Write(Path.Combine(directory, "data", "config.json"),
            Encoding.UTF8.GetBytes("{ \"service\": \"inventory\", \"replicas\": 3, \"region\": \"westeurope\" }\n")));
        files.Add(Write(Path.Combine(directory, "data", "empty.txt"), []));
        return files;
    }

    /// <summary>
    /// Changes a sample written by <see cref="Generate"/> the way a day of use would: appends to a log, edits the config,
    /// adds a file and deletes one.
    /// </summary>
    public static void Change(string directory)
    {
        File.AppendAllText(Path.Combine(directory, "logs", "app-2026-11-03.log"), "2026-11-04T00:00:01Z INFO rotated after the demo's change\n");
        File.WriteAllText(Path.Combine(directory, "data", "config.json"), "{ \"service\": \"inventory\", \"replicas\": 5, \"region\": \"westeurope\" }\n");
        File.WriteAllText(Path.Combine(directory, "logs", "app-2026-11-04.log"), "2026-11-04T00:00:00Z INFO a new day\n");
        File.Delete(Path.Combine(directory, "data", "images", "thumb.bin"));
    }

    private static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
