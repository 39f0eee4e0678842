using Atelier.Catalog;
using Atelier.Catalog.Matching;

namespace Atelier.Server;

/// <summary>POST /api/match: which registered works an uploaded suspect copies.</summary>
public static class MatchApi
{
    public static IEndpointRouteBuilder MapMatchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/match", MatchAsync)
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Match")
            .Accepts<UploadForm>("multipart/form-data")
            .Produces<MatchReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Match a suspect file (a multipart 'file' part) against the catalog: graded matches, best first, with evidence and the registration's log index.")
            .WithDescription("Evidence by kind: images give the matched variant and Hamming distance; text the copied passages; audio "
                + "where the stretch starts in the original and the suspect (originalStart, queryStart, duration in seconds), the speed and "
                + "pitch factors (pitch also in pitchSemitones) and matchedHashes, and for a suspect over a minute long the timeline of "
                + "every stretch where the work plays (segments). A recording over the server's audio length limit is refused with 422.");
        return app;
    }

    private static async Task<IResult> MatchAsync(HttpRequest request, AtelierRuntime rt, CancellationToken ct)
    {
        var form = await WorksApi.ReadFormAsync(request, rt, ct);
        await using (form)
        {
            if (form.Problem is not null)
            {
                return form.Problem;
            }

            var report = await rt.Match.MatchStagedAsync(form.Staged!, CatalogRules.SafeFileName(form.FileName), ct);
            return report.Error is not null && report.Matches.Count == 0
                ? WorksApi.Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable content", report.Error)
                : TypedResults.Ok(report);
        }
    }
}
