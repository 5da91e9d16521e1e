using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

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
            options.DocumentFilter<Int64AsString>();

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

/// <summary>Says in the OpenAPI document what the routes write: a 64-bit integer is a JSON
/// string ("units": "1099"; <see cref="HttpJsonSetup.AddHttpJson"/>), where the generator
/// would promise a number.</summary>
internal sealed class Int64AsString : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components.Schemas.Values)
        {
            Visit(schema, seen);
        }

        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations.Values))
        {
            foreach (var parameter in operation.Parameters)
            {
                Visit(parameter.Schema, seen);
            }
        }
    }

    private static void Visit(OpenApiSchema? schema, HashSet<OpenApiSchema> seen)
    {
        if (schema is null || schema.Reference is not null || !seen.Add(schema))
        {
            return;
        }

        if (schema.Type == "integer" && schema.Format is "int64" or "uint64")
        {
            schema.Type = "string";
        }

        foreach (var child in schema.Properties.Values.Append(schema.Items).Append(schema.AdditionalProperties)
            .Concat(schema.AllOf).Concat(schema.AnyOf).Concat(schema.OneOf))
        {
            Visit(child, seen);
        }
    }
}
