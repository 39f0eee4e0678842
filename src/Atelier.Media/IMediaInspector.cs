namespace Atelier.Media;

/// <summary>Recognises a staged file's kind, validates it under limits and extracts its metadata.</summary>
public interface IMediaInspector
{
    /// <summary>Inspects the file at <paramref name="path"/>.</summary>
    /// <param name="path">A local file, usually the import's staging copy.</param>
    /// <param name="originalFileName">The name the user gave the file; only its extension is used, as a hint.</param>
    /// <param name="ct">Cancels the inspection (external tools are killed).</param>
    /// <exception cref="MediaException">The file is refused; <see cref="MediaException.Code"/> says why.</exception>
    Task<MediaInspection> InspectAsync(string path, string originalFileName, CancellationToken ct = default);
}
