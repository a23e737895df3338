namespace Suppression.Secrets;

/// <summary>
/// A secret the gateway generates on first start when none is configured: written once into the data
/// directory, readable by the owner only, and read back on every later start.
/// </summary>
public static class OwnerOnlyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <returns>The file's text, and whether it was created just now.</returns>
    public static (string Text, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        if (File.Exists(path))
        {
            return (File.ReadAllText(path), false);
        }

        CreateDirectory(Path.GetDirectoryName(path)!);
        var text = generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(text);
        }

        return (text, true);
    }

    /// <summary>
    /// Creates the directory, and any missing parent, for the owner only (0700): the data directory
    /// holds the suppression list and audit trail in clear, so other local users must not read it.
    /// An existing directory keeps the mode its operator gave it.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerReadWrite | UnixFileMode.UserExecute);
    }
}
