namespace OrderService.Client.Tests;

/// <summary>Where the server's build of this configuration is.</summary>
public static class ServerBuild
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrderService.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("OrderService.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Dll => Environment.GetEnvironmentVariable("ORDERSERVICE_SERVER_DLL") is { Length: > 0 } dll
        ? dll
        : Path.Combine(RepositoryRoot, "src", "OrderService.Server", "bin", Configuration, "net10.0", "OrderService.Server.dll");
}
