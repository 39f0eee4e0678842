using Atelier.Catalog;
using Microsoft.AspNetCore.Http.Features;

namespace Atelier.Server;

/// <summary>
/// The HTTP host. Thin: it maps requests onto <see cref="AtelierRuntime"/>'s services. Every endpoint
/// needs an API key (the fallback policy) except /health and, later, the public log.
/// </summary>
public static partial class AtelierServer
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Room for multipart framing and form fields on top of the content limit.</summary>
    private const long MultipartOverheadBytes = 1024 * 1024;

    public static WebApplication Build(AtelierRuntime runtime, IEnumerable<string> urls, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = runtime.Settings.MaxUploadBytes + MultipartOverheadBytes;
        });
        // Per-request framework chatter stays out of the console; start-up lines and our warnings stay in.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);

        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(runtime.Keys);
        builder.Services.AddAtelierApi();

        var app = builder.Build();
        app.UseAtelierApi();

        // Every server competes for the sequencer's lease; one sequences, the others' uploads wait for it.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Atelier.Log");
        runtime.Log.OnError = ex => SequencerRetrying(logger, ex);
        runtime.Log.StartSequencer();
        return app;
    }

    /// <summary>Problem details, JSON shape, auth and the OpenAPI document.</summary>
    public static IServiceCollection AddAtelierApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => AtelierJson.Configure(o.SerializerOptions));
        services.AddAtelierAuth();
        services.AddOpenApi();
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = long.MaxValue);
        return services;
    }

    public static WebApplication UseAtelierApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.Viewer);
        app.MapHealthApi();
        app.MapWorksApi();
        app.MapLogApi();
        app.MapMatchApi();
        return app;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (AtelierRuntime rt, CancellationToken ct) =>
        {
            await rt.Catalog.ListWorksAsync(new Core.WorkQuery { Limit = 1 }, ct);
            return TypedResults.Ok(new { status = "ok" });
        }).AllowAnonymous().WithTags("Health").WithSummary("Liveness and database reachability; needs no key.");
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The log sequencer will retry after an error")]
    private static partial void SequencerRetrying(ILogger logger, Exception ex);

    /// <summary>Errors the framework raises while reading a request keep their own status (413 for a body too large).</summary>
    private static int StatusFor(Exception ex) => ex switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        Core.BlobTooLargeException => StatusCodes.Status413PayloadTooLarge,
        OperationCanceledException => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
