namespace Atelier.Core;

/// <summary>A registered work: one piece of content with its metadata, credits and tags.</summary>
public sealed record Work
{
    /// <summary>Stable, URL-safe id (see <see cref="WorkId"/>).</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required MediaKind Kind { get; init; }
    public required string OriginalFileName { get; init; }
    public required string MediaType { get; init; }
    public required long ByteSize { get; init; }
    /// <summary>Lower-case hex SHA-256 of the content; also the content's key in the blob store.</summary>
    public required string Sha256 { get; init; }
    public IReadOnlyList<Contributor> Contributors { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>When the work was registered, in UTC.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }
    public WorkMetadata Metadata { get; init; } = WorkMetadata.Empty;
    /// <summary>Set when the owner removed the work from the catalog; the record and its history stay.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
}
