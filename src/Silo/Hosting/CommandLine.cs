namespace Push.Silo.Hosting;

/// <summary>How to run this same program with other arguments, written as the person would type it.</summary>
internal static class CommandLine
{
    public static string Of(params string[] arguments)
    {
        var rest = string.Join(' ', arguments.Where(a => a.Length > 0));
        var process = Environment.ProcessPath ?? "Push.Silo";
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            // Started as `dotnet Push.Silo.dll`.
            return $"dotnet {typeof(CommandLine).Assembly.Location} {rest}";
        }

        // From a clone, `dotnet run` is what the README gives; elsewhere (a container, an install) the program itself.
        return File.Exists(Path.Combine("src", "Silo", "Silo.csproj"))
            ? $"dotnet run --project src/Silo -- {rest}"
            : $"{process} {rest}";
    }
}
