using System.Reflection;

// Dispatches `dotnet run -c Release --project bench -- <name> [args]` to the class <Name>Bench.Run(string[]),
// so each benchmark lives in its own file and the runner never changes when one is added.
var benches = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t.Name.EndsWith("Bench", StringComparison.Ordinal) && t.GetMethod("Run", [typeof(string[])]) is not null)
    .ToDictionary(t => t.Name[..^"Bench".Length].ToLowerInvariant(), t => t);

if (args.Length == 0 || !benches.TryGetValue(args[0].ToLowerInvariant(), out var bench))
{
    Console.Error.WriteLine($"usage: ForgeOne.Bench <{string.Join('|', benches.Keys.Order())}> [args]");
    return 2;
}

var result = bench.GetMethod("Run", [typeof(string[])])!.Invoke(null, [args[1..]]);
return result is int code ? code : 0;
