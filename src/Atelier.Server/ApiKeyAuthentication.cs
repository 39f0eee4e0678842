using System.Security.Claims;
using System.Text.Encodings.Web;
using Atelier.Catalog;
using Atelier.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Atelier.Server;

/// <summary>
/// Authenticates `Authorization: Bearer KEY` against the hashed keys in the catalog. A key's role grants
/// its own and every lesser role (owner ⊃ editor ⊃ viewer), so policies name the least role they need.
/// Challenges and refusals come back as problem+json.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <api key>'");
        }

        var key = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("the API key is unknown or revoked");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id),
            new(ClaimTypes.Name, key.Name),
        };
        for (var r = Role.Viewer; r <= key.Role; r++)
        {
            claims.Add(new Claim(ClaimTypes.Role, r.ToWire()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message ?? "this endpoint needs an API key: send 'Authorization: Bearer <key>'",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = "this API key's role does not allow this operation",
            },
        });
    }
}

public static class Policies
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Owner = "owner";

    /// <summary>API-key authentication and the three role policies.</summary>
    public static IServiceCollection AddAtelierAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.RequireRole(Viewer))
            .AddPolicy(Editor, p => p.RequireRole(Editor))
            .AddPolicy(Owner, p => p.RequireRole(Owner))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Viewer).Build());
        return services;
    }
}
