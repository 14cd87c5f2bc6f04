namespace ForgeOne.Core.Snapshots;

/// <summary>
/// One entry of a directory in a snapshot: a file, a directory or a symbolic link, with the metadata a restore
/// applies and a later backup uses to tell whether the entry changed.
/// </summary>
/// <remarks>
/// <para>
/// Which fields a node has depends on its <see cref="Type"/>: files have <see cref="Content"/> and
/// <see cref="ContentHash"/>, directories <see cref="Subtree"/>, symbolic links <see cref="LinkTarget"/>; the
/// others are null. <see cref="Tree"/> checks this (and the name rules) when a node is put into a tree, so a node
/// on its own may be incomplete while it is being built.
/// </para>
/// <para>
/// Two nodes are equal when every field is equal, <see cref="Content"/> compared item by item. Times are kept in
/// UTC (offset zero) with 100 ns precision, the finest that <see cref="DateTimeOffset"/> and the tree JSON hold.
/// </para>
/// </remarks>
public sealed record TreeNode
{
    /// <summary>The largest <see cref="Mode"/>: permission bits plus setuid, setgid and sticky (octal 7777).</summary>
    public const int MaxMode = 0xFFF;

    private readonly DateTimeOffset _modifiedTime;
    private readonly DateTimeOffset? _changeTime;
    private readonly DateTimeOffset? _accessTime;
    private readonly IReadOnlyList<string>? _content;

    /// <summary>
    /// The entry's name: one path segment, never empty, <c>.</c> or <c>..</c>, without <c>/</c> or NUL, and
    /// valid Unicode (it is stored as UTF-8). Names are compared and sorted by their UTF-8 bytes.
    /// </summary>
    /// <remarks>
    /// A Linux file name that is not valid UTF-8 cannot be represented; .NET already decodes such names lossily
    /// when it lists a directory, so a scanner reports them as warnings rather than storing a wrong name.
    /// </remarks>
    public required string Name { get; init; }

    /// <summary>File, directory or symbolic link.</summary>
    public required NodeType Type { get; init; }

    /// <summary>
    /// Files: the content length in bytes. Symbolic links: the byte length of the target, as <c>lstat</c>
    /// reports it. Directories: always 0.
    /// </summary>
    public long Size { get; init; }

    /// <summary>
    /// Unix permission bits with setuid (04000), setgid (02000) and sticky (01000); never the file type bits,
    /// which <see cref="Type"/> holds. At most <see cref="MaxMode"/>.
    /// </summary>
    /// <remarks>
    /// Windows has no modes; <see cref="WindowsMode"/> gives the mapping a scanner records there: 0755 for
    /// directories, 0644 for files, 0777 for symbolic links, without the write bits (0555, 0444) when the entry
    /// is read-only. A restore on Windows applies only the owner write bit, as the read-only attribute.
    /// </remarks>
    public int Mode { get; init; }

    /// <summary>Owner user id, or null where the platform has none (Windows).</summary>
    public long? Uid { get; init; }

    /// <summary>Owner group id, or null where the platform has none (Windows).</summary>
    public long? Gid { get; init; }

    /// <summary>Owner user name, when it could be resolved; a restore prefers it to <see cref="Uid"/>.</summary>
    public string? UserName { get; init; }

    /// <summary>Owner group name, when it could be resolved; a restore prefers it to <see cref="Gid"/>.</summary>
    public string? GroupName { get; init; }

    /// <summary>Last modification time (mtime), UTC; a value with another offset is converted.</summary>
    public DateTimeOffset ModifiedTime
    {
        get => _modifiedTime;
        init => _modifiedTime = value.ToUniversalTime();
    }

    /// <summary>Unix status change time (ctime), UTC, or null where the platform has none.</summary>
    /// <remarks>Kept for change detection only: no restore can set it.</remarks>
    public DateTimeOffset? ChangeTime
    {
        get => _changeTime;
        init => _changeTime = value?.ToUniversalTime();
    }

    /// <summary>Last access time (atime), UTC, or null when not recorded.</summary>
    /// <remarks>
    /// Reading a file changes its atime, and any changed field changes the tree's bytes and id, so a scanner
    /// that records atimes makes every directory it reads look new. Leave it null unless asked for.
    /// </remarks>
    public DateTimeOffset? AccessTime
    {
        get => _accessTime;
        init => _accessTime = value?.ToUniversalTime();
    }

    /// <summary>Inode number, or 0 when unknown; with <see cref="DeviceId"/> tells a replaced file from an edited one.</summary>
    public ulong Inode { get; init; }

    /// <summary>Id of the device holding the entry, or 0 when unknown.</summary>
    public ulong DeviceId { get; init; }

    /// <summary>
    /// Files only: the ids of the data blobs (chunks) that make up the content, in order, as 64 lower-case hex
    /// digits; empty for an empty file. The list is copied when set.
    /// </summary>
    public IReadOnlyList<string>? Content
    {
        get => _content;
        init => _content = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    /// <summary>
    /// Files only: the unkeyed BLAKE3 hash of the whole content, 64 lower-case hex digits (what <c>b3sum</c>
    /// prints). Lets a restored file, and the DNA hash, be checked without the repository key.
    /// </summary>
    public string? ContentHash { get; init; }

    /// <summary>Directories only: the id of the tree blob listing the directory's entries, 64 lower-case hex digits.</summary>
    public string? Subtree { get; init; }

    /// <summary>
    /// Symbolic links only: the target exactly as <c>readlink</c> returns it, never resolved; not empty and
    /// without NUL.
    /// </summary>
    public string? LinkTarget { get; init; }

    /// <summary>
    /// The <see cref="Mode"/> a scanner records on Windows, which has no Unix modes: 0755 for directories, 0644
    /// for files and 0777 for symbolic links, without the write bits when <see cref="FileAttributes.ReadOnly"/> is set.
    /// </summary>
    /// <param name="type">The entry's type.</param>
    /// <param name="attributes">The entry's Windows attributes.</param>
    /// <returns>The permission bits.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined type.</exception>
    public static int WindowsMode(NodeType type, FileAttributes attributes)
    {
        var mode = type switch
        {
            NodeType.File => 0x1A4, // 0644
            NodeType.Directory => 0x1ED, // 0755
            NodeType.Symlink => 0x1FF, // 0777: link permissions mean nothing on Unix either
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a node type."),
        };

        // Read-only is the only permission-like attribute; it denies writing to everyone.
        return type != NodeType.Symlink && attributes.HasFlag(FileAttributes.ReadOnly) ? mode & ~0x92 : mode;
    }

    /// <summary>True when every field is equal, <see cref="Content"/> compared item by item.</summary>
    /// <param name="other">The node to compare with.</param>
    /// <returns>Whether the nodes are equal.</returns>
    public bool Equals(TreeNode? other) =>
        other is not null
        && Name == other.Name
        && Type == other.Type
        && Size == other.Size
        && Mode == other.Mode
        && Uid == other.Uid
        && Gid == other.Gid
        && UserName == other.UserName
        && GroupName == other.GroupName
        && ModifiedTime == other.ModifiedTime
        && ChangeTime == other.ChangeTime
        && AccessTime == other.AccessTime
        && Inode == other.Inode
        && DeviceId == other.DeviceId
        && (ReferenceEquals(Content, other.Content)
            || (Content is not null && other.Content is not null && Content.SequenceEqual(other.Content, StringComparer.Ordinal)))
        && ContentHash == other.ContentHash
        && Subtree == other.Subtree
        && LinkTarget == other.LinkTarget;

    /// <summary>A hash code consistent with <see cref="Equals(TreeNode?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(Name, Type, Size, ModifiedTime, ContentHash, Subtree, LinkTarget);

    /// <summary>
    /// The first thing that keeps this node out of a tree, as a sentence fragment, or null when it is valid.
    /// </summary>
    internal string? FindProblem()
    {
        if (NameProblem(Name) is { } nameProblem)
        {
            return nameProblem;
        }

        var what = $"node \"{CanonicalJson.Truncate(Name)}\"";
        if (!Enum.IsDefined(Type))
        {
            return $"{what} has no valid type ({(int)Type})";
        }

        if (Size < 0 || (Type == NodeType.Directory && Size != 0))
        {
            return $"{what} has size {Size}; sizes are not negative and directories have size 0";
        }

        if (Mode is < 0 or > MaxMode)
        {
            return $"{what} has mode {Mode}, outside 0 to octal 7777";
        }

        if (Uid is < 0 or > uint.MaxValue || Gid is < 0 or > uint.MaxValue)
        {
            return $"{what} has a uid or gid outside 0 to {uint.MaxValue}";
        }

        if ((UserName is not null && !CanonicalJson.IsWellFormed(UserName))
            || (GroupName is not null && !CanonicalJson.IsWellFormed(GroupName)))
        {
            return $"{what} has a user or group name that is not valid Unicode";
        }

        var isFile = Type == NodeType.File;
        if (isFile != (Content is not null) || isFile != (ContentHash is not null))
        {
            return $"{what}: content and contentHash are required for files and refused otherwise";
        }

        if (isFile && (!CanonicalJson.IsHexId(ContentHash) || !Content!.All(CanonicalJson.IsHexId)))
        {
            return $"{what} has a content id or content hash that is not 64 lower-case hex digits";
        }

        if ((Type == NodeType.Directory) != (Subtree is not null))
        {
            return $"{what}: subtree is required for directories and refused otherwise";
        }

        if (Subtree is not null && !CanonicalJson.IsHexId(Subtree))
        {
            return $"{what} has a subtree id that is not 64 lower-case hex digits";
        }

        if ((Type == NodeType.Symlink) != (LinkTarget is not null))
        {
            return $"{what}: linkTarget is required for symbolic links and refused otherwise";
        }

        if (LinkTarget is not null && (LinkTarget.Length == 0 || LinkTarget.Contains('\0', StringComparison.Ordinal)
            || !CanonicalJson.IsWellFormed(LinkTarget)))
        {
            return $"{what} has a link target that is empty, holds NUL or is not valid Unicode";
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> is not a valid entry name, or null when it is.</summary>
    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a node has an empty name";
        }

        if (name is "." or "..")
        {
            return $"a node is named \"{name}\"";
        }

        if (name.AsSpan().IndexOfAny('/', '\0') >= 0)
        {
            return $"node name \"{CanonicalJson.Truncate(name)}\" holds '/' or NUL; a name is one path segment";
        }

        return CanonicalJson.IsWellFormed(name)
            ? null
            : $"node name \"{CanonicalJson.Truncate(name)}\" is not valid Unicode (a lone surrogate)";
    }
}
