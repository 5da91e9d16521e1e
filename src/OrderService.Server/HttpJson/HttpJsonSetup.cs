using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;

namespace OrderService.Server.HttpJson;

/// <summary>The HTTP/JSON face of the three services (README, "HTTP/JSON"): gRPC JSON
/// transcoding of the routes the protos declare with google.api.http, and an OpenAPI document
/// of those routes generated from the same protos. The routes answer on every endpoint the
/// server listens on; appsettings.json adds the HTTP/1.1 endpoint "Http" for them, beside the
/// h2c endpoint "Grpc".</summary>
public static class HttpJsonSetup
{
    /// <summary>Where the OpenAPI document is served: /openapi/v1.json.</summary>
    public const string OpenApiRoute = "openapi/{documentName}.json";

    public const string OpenApiDocumentName = "v1";

    public static IGrpcServerBuilder AddHttpJson(this IGrpcServerBuilder grpc)
    {
        grpc.AddJsonTranscoding(options =>
        {
            // Error details are google.protobuf.Any: the types the service sends must be known
            // to write them as JSON (a FeedLineResult's status carries them too).
            options.TypeRegistry = JsonStatus.ErrorDetails;
            // The proto3 JSON mapping: 64-bit integers as strings (a JavaScript number loses
            // digits past 2^53), as buf curl and the TypeScript client write them. Fields at
            // their default value are written too, so a JSON reader sees every field.
            options.JsonSettings.WriteInt64sAsStrings = true;
        });

        var services = grpc.Services;
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(OpenApiDocumentName, new OpenApiInfo
            {
                Title = "OrderService HTTP/JSON API",
                Version = "v1",
                Description = "The routes of the orderservice.v1 protos (google.api.http), transcoded to the gRPC methods. "
                    + "Every call carries 'Authorization: Bearer <jwt>'. An error is a google.rpc.Status as JSON: "
                    + "{\"code\", \"message\", \"details\": [ErrorInfo, BadRequest, PreconditionFailure, RetryInfo]}. "
                    + "NotificationService.Subscribe is gRPC only.",
            });
            var bearer = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token minted for the marketplace, a seller or a buyer (README, \"Access\").",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" },
            };
            options.AddSecurityDefinition("bearer", bearer);
            options.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });

            // The proto comments, which Grpc.Tools writes into the contracts' XML documentation.
            var comments = Path.Combine(AppContext.BaseDirectory, "OrderService.Contracts.xml");
            if (File.Exists(comments))
            {
                options.IncludeXmlComments(comments);
                options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }
        });
        return grpc;
    }

    /// <summary>Serves the OpenAPI document at /openapi/v1.json (no token needed: it
    /// describes the routes, and every route still asks for one).</summary>
    public static IApplicationBuilder MapOpenApiDocument(this IApplicationBuilder app) =>
        app.UseSwagger(options => options.RouteTemplate = OpenApiRoute);
}
