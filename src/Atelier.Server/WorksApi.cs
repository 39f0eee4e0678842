using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Atelier.Catalog;
using Atelier.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Atelier.Server;

/// <summary>A page of works as GET /api/works returns it.</summary>
public sealed record WorkListResponse(IReadOnlyList<Work> Items, long Total, int Offset, int Limit);

/// <summary>One work and its history, as GET /api/works/{id} returns it.</summary>
public sealed record WorkResponse(Work Work, IReadOnlyList<WorkEvent> History);

/// <summary>
/// The result of an upload: the new work, or the existing one for known content. <see cref="LogIndex"/> is the
/// registration's index in the transparency log; with <c>?wait=false</c> the answer is 202 with a
/// <see cref="PendingTicket"/> instead.
/// </summary>
public sealed record UploadResponse(string Status, string WorkId, Work? Work)
{
    public long? LogIndex { get; init; }
    public long? PendingTicket { get; init; }
}

/// <summary>The multipart form POST /api/works takes (documented in the OpenAPI document).</summary>
public sealed record UploadForm(IFormFile File, string? Title, string? Tags, string? Creator, string? Contributors);

/// <summary>/api/works: upload, list, show, download (with ranges) and delete.</summary>
public static class WorksApi
{
    private const int MaxFieldBytes = 64 * 1024;
    private const int MaxFields = 100;

    public static IEndpointRouteBuilder MapWorksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/works").WithTags("Works");

        group.MapPost("/", UploadAsync)
            .RequireAuthorization(Policies.Editor)
            .Accepts<UploadForm>("multipart/form-data")
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .Produces<UploadResponse>(StatusCodes.Status202Accepted)
            .Produces<UploadResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Upload a work: a streamed multipart form with a 'file' part and optional title, tags (comma-separated or repeated), creator and contributors (a JSON array of {name, role, shareBasisPoints}). The answer comes once the registration is in a signed checkpoint, unless ?wait=false.");

        group.MapGet("/", ListAsync)
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("List live works, oldest first, filtered by kind, tag or title text (q).");

        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(Policies.Viewer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One work with its history; deleted works still answer, with deletedAt set.");

        group.MapGet("/{id}/content", ContentAsync)
            .RequireAuthorization(Policies.Viewer)
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .WithSummary("The work's content, with single byte-range requests.");

        group.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(Policies.Owner)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Remove a work from the catalog listing (owner only); its record and history stay.");

        return app;
    }

    private static async Task<IResult> ListAsync(AtelierRuntime rt, string? kind, string? tag, string? q, int? offset, int? limit, CancellationToken ct)
    {
        MediaKind? k = null;
        if (kind is not null)
        {
            if (!MediaKinds.TryParse(kind, out var parsed))
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad kind", "kind must be image, audio, text or other");
            }

            k = parsed;
        }

        var query = new WorkQuery { Kind = k, Tag = tag, TitleContains = q, Offset = offset ?? 0, Limit = limit ?? 50 };
        var page = await rt.Works.ListAsync(query, ct);
        return TypedResults.Ok(new WorkListResponse(page.Items, page.Total, Math.Max(0, query.Offset), Math.Clamp(query.Limit, 1, WorkService.MaxPageSize)));
    }

    private static async Task<IResult> GetAsync(AtelierRuntime rt, string id, CancellationToken ct)
    {
        var details = await rt.Works.GetAsync(id, ct);
        return details is null
            ? Problem(StatusCodes.Status404NotFound, "Not found", $"no work has the id '{Shorten(id)}'")
            : TypedResults.Ok(new WorkResponse(details.Work, details.History));
    }

    private static async Task<IResult> DeleteAsync(AtelierRuntime rt, string id, ClaimsPrincipal user, CancellationToken ct)
    {
        return await rt.Works.DeleteAsync(id, ActorOf(user), ct)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "Not found", $"no live work has the id '{Shorten(id)}'");
    }

    private static async Task<IResult> ContentAsync(HttpContext http, AtelierRuntime rt, string id, CancellationToken ct)
    {
        var work = await rt.Works.FindAsync(id, ct);
        if (work is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"no work has the id '{Shorten(id)}'");
        }

        if (work.DeletedAt is not null)
        {
            return Problem(StatusCodes.Status410Gone, "Gone", "the work was deleted; its record and history remain but its content is no longer served");
        }

        var etag = new EntityTagHeaderValue($"\"{work.Sha256}\"");
        var range = ByteRange.Parse(http.Request.Headers.Range.ToString(), http.Request.Headers.IfRange.ToString(), etag.Tag.ToString(), work.ByteSize);
        if (range.Unsatisfiable)
        {
            http.Response.Headers.ContentRange = $"bytes */{work.ByteSize}";
            return Problem(StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable", $"the content is {work.ByteSize} bytes long");
        }

        var (status, stream) = await rt.Works.OpenContentAsync(work, range.Start, range.Partial ? range.Length : null, ct);
        if (status != ContentStatus.Found || stream is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Content missing", "the work's content is not in the blob store");
        }

        await using (stream)
        {
            var response = http.Response;
            response.Headers.AcceptRanges = "bytes";
            response.Headers.ETag = etag.ToString();
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = work.OriginalFileName }.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            response.ContentType = work.MediaType;
            response.ContentLength = range.Length;
            if (range.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {range.Start}-{range.Start + range.Length - 1}/{work.ByteSize}";
            }

            if (!HttpMethods.IsHead(http.Request.Method))
            {
                await stream.CopyToAsync(response.Body, 128 * 1024, ct);
            }
        }

        return Results.Empty;
    }

    /// <summary>
    /// Streams the multipart body section by section: the file part goes straight into staging with its
    /// hash taken on the way, so memory stays flat whatever the upload's size. Form fields are small and
    /// bounded. Fields may come before or after the file.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpRequest request, AtelierRuntime rt, ClaimsPrincipal user, bool? wait, CancellationToken ct)
    {
        var form = await ReadFormAsync(request, rt, ct);
        await using (form)
        {
            if (form.Problem is not null)
            {
                return form.Problem;
            }

            ImportRequest importRequest;
            try
            {
                importRequest = BuildRequest(form.Fields, ActorOf(user));
            }
            catch (Exception ex) when (ex is JsonException or CatalogValidationException)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad metadata", ex.Message);
            }

            ImportOutcome outcome;
            try
            {
                outcome = await rt.Import.ImportStagedAsync(form.Staged!, form.FileName ?? "upload", importRequest, ct);
                if (wait != false)
                {
                    outcome = await rt.Import.WaitForRegistrationAsync(outcome, ct);
                }
            }
            catch (CatalogValidationException ex)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad metadata", ex.Message);
            }

            return outcome.Status switch
            {
                ImportStatus.Imported when outcome.LogIndex is null => TypedResults.Accepted($"/api/works/{outcome.WorkId}", new UploadResponse("imported", outcome.WorkId!, outcome.Work) { PendingTicket = outcome.LogSeq }),
                ImportStatus.Imported => TypedResults.Created($"/api/works/{outcome.WorkId}", new UploadResponse("imported", outcome.WorkId!, outcome.Work) { LogIndex = outcome.LogIndex }),
                ImportStatus.Duplicate => TypedResults.Ok(new UploadResponse("duplicate", outcome.WorkId!, outcome.Work)),
                _ => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable content", outcome.Error ?? "the file could not be imported"),
            };
        }
    }

    /// <summary>A streamed multipart form: the one file staged on disk, the small fields in memory, or the problem.</summary>
    internal sealed class StreamedForm : IAsyncDisposable
    {
        public StagedContent? Staged { get; set; }
        public string? FileName { get; set; }
        public Dictionary<string, List<string>> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        public IResult? Problem { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Staged is not null)
            {
                await Staged.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Streams the multipart body section by section: the file part goes straight into staging with its
    /// hash taken on the way, so memory stays flat whatever the upload's size. Form fields are small and
    /// bounded. Fields may come before or after the file.
    /// </summary>
    internal static async Task<StreamedForm> ReadFormAsync(HttpRequest request, AtelierRuntime rt, CancellationToken ct)
    {
        var form = new StreamedForm();
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            form.Problem = Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "send the file as multipart/form-data with a 'file' part");
            return form;
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", "the multipart boundary is missing or too long");
            return form;
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 32 };
        try
        {
            var fieldCount = 0;
            MultipartSection? section;
            while ((section = await ReadSectionAsync(reader, ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
                {
                    form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", "every part needs 'Content-Disposition: form-data'");
                    return form;
                }

                if (disposition.IsFileDisposition())
                {
                    if (form.Staged is not null)
                    {
                        form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", "send one file per request");
                        return form;
                    }

                    form.FileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    form.Staged = await rt.Import.StageAsync(new ClientBodyStream(section.Body), rt.Settings.MaxUploadBytes, ct);
                    continue;
                }

                if (++fieldCount > MaxFields)
                {
                    form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", $"at most {MaxFields} form fields");
                    return form;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var value = await ReadFieldAsync(new ClientBodyStream(section.Body), ct);
                if (value is null)
                {
                    form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", $"form field '{Shorten(name)}' is over {MaxFieldBytes} bytes");
                    return form;
                }

                if (!form.Fields.TryGetValue(name, out var list))
                {
                    form.Fields[name] = list = [];
                }

                list.Add(value);
            }

            if (form.Staged is null)
            {
                form.Problem = Problem(StatusCodes.Status400BadRequest, "No file", "the form has no file part");
            }
        }
        catch (BlobTooLargeException ex)
        {
            form.Problem = Problem(StatusCodes.Status413PayloadTooLarge, "Content too large", $"the upload is over the limit of {ex.Limit} bytes");
        }
        catch (InvalidDataException ex)
        {
            form.Problem = Problem(StatusCodes.Status400BadRequest, "Bad multipart body", ex.Message);
        }

        return form;
    }

    private static async Task<MultipartSection?> ReadSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw new InvalidDataException("the multipart body is malformed or ended early: " + ex.Message, ex);
        }
    }

    private static ImportRequest BuildRequest(Dictionary<string, List<string>> fields, string actor)
    {
        string? Single(string name) => fields.TryGetValue(name, out var v) ? v[^1] : null;
        var tags = fields.TryGetValue("tags", out var t) ? t.SelectMany(x => x.Split(',')) : [];
        if (fields.TryGetValue("tag", out var t2))
        {
            tags = tags.Concat(t2);
        }

        var contributors = new List<Contributor>();
        var json = Single("contributors");
        if (!string.IsNullOrWhiteSpace(json))
        {
            contributors.AddRange(JsonSerializer.Deserialize<List<Contributor>>(json, AtelierJson.Options)
                ?? throw new CatalogValidationException("contributors must be a JSON array"));
            if (contributors.Any(c => c is null))
            {
                throw new CatalogValidationException("contributors must not hold null entries");
            }
        }

        var creator = Single("creator");
        if (!string.IsNullOrWhiteSpace(creator))
        {
            contributors.Add(new Contributor(creator.Trim(), "creator"));
        }

        return new ImportRequest
        {
            Title = Single("title"),
            Tags = CatalogRules.NormaliseTags(tags),
            Contributors = contributors,
            Actor = actor,
        };
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
            if (total > MaxFieldBytes)
            {
                return null;
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    internal static string ActorOf(ClaimsPrincipal user) => "key:" + (user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "?");

    internal static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    private static string Shorten(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
