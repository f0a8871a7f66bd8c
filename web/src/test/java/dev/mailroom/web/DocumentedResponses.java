package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a real response against what the served OpenAPI document says of it: the status is documented for
 * the operation, the content type too, the body validates against the schema (a real JSON Schema 2020-12
 * validator with the OpenAPI 3.1 dialect), and the body has no field the schema does not name — responses
 * may gain fields, but the reference must show every field the server sends.
 */
final class DocumentedResponses {
    private static final String IRI = "https://mailroom.invalid/api/openapi.json";

    private final JsonNode doc;
    private final SchemaRegistry registry;

    DocumentedResponses(JsonNode doc) {
        this.doc = doc;
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                b -> b.schemas(Map.of(IRI, doc.toString())));
    }

    /** Asserts that {@code res}, the answer to {@code method template}, is as documented. */
    void check(String method, String template, Api.Res res) {
        String what = method + " " + template + " → " + res;
        String opPointer = "/paths/" + escape(template) + "/" + method.toLowerCase();
        assertThat(doc.at(opPointer).isMissingNode()).as("documented operation: " + what).isFalse();
        String responsePointer = opPointer + "/responses/" + res.status();
        JsonNode response = doc.at(responsePointer);
        assertThat(response.isMissingNode()).as("documented status: " + what).isFalse();
        while (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = doc.at(responsePointer);
        }
        if (res.text() == null || res.text().isEmpty()) {
            assertThat(response.has("content")).as("an empty body is documented as none: " + what).isFalse();
            return;
        }
        String type = res.contentType().split(";")[0].trim();
        assertThat(response.path("content").has(type)).as("documented content type " + type + ": " + what).isTrue();
        if (!type.endsWith("json")) return;

        String schemaPointer = responsePointer + "/content/" + escape(type) + "/schema";
        Schema schema = registry.getSchema(SchemaLocation.of(IRI + "#" + schemaPointer));
        List<Error> errors = schema.validate(res.json());
        assertThat(errors).as("schema " + schemaPointer + ": " + what).isEmpty();
        List<String> undeclared = new ArrayList<>();
        undeclared(doc.at(schemaPointer), res.json(), "", undeclared);
        assertThat(undeclared).as("fields the schema does not name: " + what).isEmpty();
    }

    /** Every field of {@code value} that {@code schema} (through $ref, allOf and items) does not declare. */
    private void undeclared(JsonNode schema, JsonNode value, String at, List<String> out) {
        schema = resolve(schema);
        if (value.isArray()) {
            JsonNode items = schema.path("items");
            if (!items.isMissingNode()) for (int i = 0; i < value.size(); i++) undeclared(items, value.get(i), at + "[" + i + "]", out);
            return;
        }
        if (!value.isObject()) return;
        List<JsonNode> parts = new ArrayList<>(List.of(schema));
        schema.path("allOf").forEach(s -> parts.add(resolve(s)));
        if (parts.stream().noneMatch(p -> p.has("properties"))) return; // a free-form object (audit detail, webhook data)
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
            JsonNode declared = parts.stream().map(p -> p.path("properties").path(field.getKey()))
                    .filter(p -> !p.isMissingNode()).findFirst().orElse(null);
            if (declared == null) out.add(path);
            else undeclared(declared, field.getValue(), path, out);
        }
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) schema = doc.at(schema.get("$ref").asText().substring(1));
        return schema;
    }

    /** A JSON pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
