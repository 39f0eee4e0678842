using Atelier.Core;

namespace Atelier.Media;

/// <summary>What a file turned out to be.</summary>
/// <param name="Kind">Image, audio or text (never <see cref="MediaKind.Other"/>: other files are refused).</param>
/// <param name="MediaType">IANA media type without parameters, e.g. <c>image/jpeg</c>, <c>audio/ogg</c>, <c>text/plain</c>.</param>
/// <param name="Metadata">The section for <paramref name="Kind"/> is set.</param>
public sealed record MediaInspection(MediaKind Kind, string MediaType, WorkMetadata Metadata);
