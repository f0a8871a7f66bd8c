package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API reference served at /api/openapi.json stays true to the app: it parses as OpenAPI 3.1 with a real
 * parser, it has one operation for every registered route and no other, each operation names the roles its
 * route is registered with, and each says what a client meets (its parameters, a success, the problem
 * answers of a keyed route).
 */
class OpenApiDocumentTest extends WebTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private static HttpResponse<String> fetch(String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestApp.base() + "/api/openapi.json"))
                .timeout(Duration.ofSeconds(30)).GET();
        if (ifNoneMatch != null) b.header("If-None-Match", ifNoneMatch);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "GET /api/senders/{id}" → the operation, for every operation of the served document. */
    static Map<String, JsonNode> operations(JsonNode doc) {
        Map<String, JsonNode> ops = new TreeMap<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (METHODS.contains(m.getKey())) ops.put(m.getKey().toUpperCase() + " " + p.getKey(), m.getValue());
        }));
        return ops;
    }

    static JsonNode served() throws Exception {
        HttpResponse<String> r = fetch(null);
        assertThat(r.statusCode()).isEqualTo(200);
        return Api.JSON.readTree(r.body());
    }

    @Test
    void the_document_is_served_without_a_key_cacheable_and_parses_as_openapi_3_1() throws Exception {
        HttpResponse<String> r = fetch(null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
        String etag = r.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = fetch(etag);
        assertThat(again.statusCode()).as("revalidated with its ETag").isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(fetch("W/" + etag).statusCode()).as("a weak comparison matches too").isEqualTo(304);
        assertThat(fetch("\"something-else\"").statusCode()).isEqualTo(200);

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body(), null, options);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths()).isNotEmpty();
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearer");
    }

    @Test
    void the_parser_check_catches_a_broken_reference() {
        // Proves the check above can fail: an operation pointing at a schema that does not exist.
        String broken = """
                {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                 "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}}}}}}
                """;
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        assertThat(new OpenAPIV3Parser().readContents(broken, null, options).getMessages()).isNotEmpty();
    }

    @Test
    void every_registered_route_has_an_operation_and_every_operation_a_route() throws Exception {
        Set<String> routes = new TreeSet<>();
        for (RegisteredRoutes.Route r : TestApp.app().routes()) routes.add(r.method() + " " + r.path());
        Set<String> documented = operations(served()).keySet();

        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routes);
        assertThat(undocumented).as("routes without an operation in openapi.yaml").isEmpty();
        assertThat(unrouted).as("operations in openapi.yaml without a route").isEmpty();
        assertThat(routes).contains("GET /api/openapi.json", "POST /api/campaigns", "DELETE /api/circuits/{sender_id}/{domain}");
    }

    @Test
    void each_operation_names_the_roles_its_route_is_registered_with() throws Exception {
        Map<String, JsonNode> ops = operations(served());
        List<String> wrong = new ArrayList<>();
        for (RegisteredRoutes.Route r : TestApp.app().routes()) {
            JsonNode op = ops.get(r.method() + " " + r.path());
            if (op == null) continue; // the test above names it
            Set<String> documented = new TreeSet<>();
            op.path("x-roles").forEach(role -> documented.add(role.asText()));
            if (!documented.equals(r.roles())) wrong.add(r.method() + " " + r.path() + ": x-roles " + documented + ", route " + r.roles());
            boolean keyless = op.has("security") && noKeyNeeded(op.get("security"));
            if (keyless != r.roles().isEmpty()) {
                wrong.add(r.method() + " " + r.path() + ": security " + op.path("security") + " but roles " + r.roles());
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** [] or a list holding {} (the key is optional): a caller without an API key gets through. */
    private static boolean noKeyNeeded(JsonNode security) {
        if (security.isEmpty()) return true;
        for (JsonNode requirement : security) if (requirement.isEmpty()) return true;
        return false;
    }

    @Test
    void each_operation_declares_its_parameters_a_success_and_the_problems_of_a_keyed_route() throws Exception {
        JsonNode doc = served();
        Set<String> tags = new HashSet<>();
        doc.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        Set<String> operationIds = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : operations(doc).entrySet()) {
            String name = e.getKey();
            JsonNode op = e.getValue();
            String path = name.substring(name.indexOf(' ') + 1);
            if (!operationIds.add(op.path("operationId").asText())) missing.add(name + ": operationId missing or repeated");
            if (op.path("summary").asText().isBlank()) missing.add(name + ": summary");
            if (op.path("tags").isEmpty() || !tags.contains(op.path("tags").get(0).asText())) missing.add(name + ": a declared tag");

            Set<String> declared = new HashSet<>();
            for (JsonNode list : List.of(doc.path("paths").path(path).path("parameters"), op.path("parameters"))) {
                for (JsonNode p : list) {
                    JsonNode param = resolve(doc, p);
                    if ("path".equals(param.path("in").asText())) declared.add(param.path("name").asText());
                }
            }
            Matcher m = PATH_PARAM.matcher(path);
            while (m.find()) if (!declared.contains(m.group(1))) missing.add(name + ": path parameter " + m.group(1));

            JsonNode responses = op.path("responses");
            boolean success = false;
            for (var it = responses.fieldNames(); it.hasNext(); ) success |= it.next().startsWith("2");
            if (!success) missing.add(name + ": a 2xx response");
            if (!op.has("security")) { // keyed: the global bearer requirement applies
                for (String status : List.of("401", "403", "429")) {
                    if (!responses.has(status)) missing.add(name + ": " + status);
                }
            }
            boolean json = op.path("requestBody").path("content").has("application/json");
            if (json && !responses.has("400")) missing.add(name + ": 400 for a bad body");
            if (json && !responses.has("413")) missing.add(name + ": 413 for a body over the limit");
        }
        assertThat(missing).isEmpty();
    }

    /** A parameter or response given as {"$ref": "#/components/..."}, looked up in the document. */
    static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) node = doc.at(node.get("$ref").asText().substring(1));
        return node;
    }
}
