namespace Suppression.Gateway.Hosting;

/// <summary>
/// A secret the gateway generates on first start when none is configured: written once into the data
/// directory, readable by the owner only, and read back on every later start.
/// </summary>
public static class OwnerOnlyFile
{
    /// <returns>The file's text, and whether it was created just now.</returns>
    public static (string Text, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path))
        {
            return (File.ReadAllText(path), false);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(text);
        }

        return (text, true);
    }
}
