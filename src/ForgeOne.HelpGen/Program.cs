using System.Reflection;
using System.Runtime.Loader;
using ForgeOne.HelpGen;

// Build step: writes the module's MAML help from the cmdlets' XML doc comments, the one source we keep.
// usage: ForgeOne.HelpGen <ForgeOne.dll> <ForgeOne.xml> <out/en-US/ForgeOne.dll-Help.xml>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ForgeOne.HelpGen <module.dll> <module.xml> <output-help.xml>");
    return 2;
}

var assemblyPath = Path.GetFullPath(args[0]);
var folder = Path.GetDirectoryName(assemblyPath)!;
AssemblyLoadContext.Default.Resolving += (context, name) =>
{
    var candidate = Path.Combine(folder, name.Name + ".dll");
    return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
};

var assembly = Assembly.LoadFrom(assemblyPath);
var docs = XmlDocs.Load(args[1]);
var cmdlets = CmdletModel.FromAssembly(assembly, docs);
var problems = cmdlets.SelectMany(c => c.Problems()).ToList();
if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"error FHELP001: {problem}");
    }

    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
MamlWriter.Write(cmdlets, args[2]);
Console.WriteLine($"ForgeOne help -> {args[2]} ({cmdlets.Count} cmdlets)");
return 0;
