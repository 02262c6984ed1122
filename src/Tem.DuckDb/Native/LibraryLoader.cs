using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tem.DuckDb.Native;

/// <summary>
/// Resolves <c>libduckdb.so</c>: the <c>TEM_DUCKDB_LIBRARY</c> environment variable when set, else the file the
/// build copies next to the assemblies. A missing library fails with one message that says how to get it.
/// </summary>
internal static class LibraryLoader
{
    private const string FileName = "libduckdb.so";

#pragma warning disable CA2255 // A module initializer is the one place a DllImport resolver can be set before first use.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(LibraryLoader).Assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.Library)
        {
            return nint.Zero;
        }

        var candidates = new List<string>();
        var overridePath = Environment.GetEnvironmentVariable("TEM_DUCKDB_LIBRARY");
        if (!string.IsNullOrEmpty(overridePath))
        {
            candidates.Add(overridePath);
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, FileName));
        var assemblyDir = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            candidates.Add(Path.Combine(assemblyDir, FileName));
        }

        foreach (var path in candidates)
        {
            if (File.Exists(path))
            {
                return NativeLibrary.Load(path);
            }
        }

        throw new DllNotFoundException(
            $"{FileName} was not found (looked in: {string.Join(", ", candidates)}). " +
            "Build with 'dotnet build': it fetches DuckDB 1.5.6 through npm and copies it next to the assemblies, " +
            "or set TEM_DUCKDB_LIBRARY to the file's path.");
    }
}
