package dev.mailroom.web.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.mailroom.core.error.InvalidInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads request bodies strictly: every field the request type does not know is named, as a path
 * ({@code smtp.hots}, {@code recipients[3].emial}), in one 400 before anything is bound — Jackson alone
 * stops at the first. The check is one streaming pass guided by the type: records are checked field by
 * field, lists element by element; maps (a recipient's {@code vars}) take any key. Types that take
 * third-party payloads ({@code @JsonIgnoreProperties(ignoreUnknown = true)}) are not checked, and neither
 * are values of the wrong shape (the mapper refuses those itself).
 */
public final class StrictReader {
    /** The message beside every field the server does not know. */
    public static final String UNKNOWN_FIELD = "is not a known field";

    private final ObjectMapper mapper;
    private final DeserializationConfig config;
    /** Known fields by record type; an empty map stands for "takes any field". */
    private final Map<Class<?>, Map<String, JavaType>> fields = new ConcurrentHashMap<>();

    public StrictReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.config = mapper.getDeserializationConfig();
    }

    public <T> T read(byte[] json, Class<T> type) throws IOException {
        List<String> unknown = new ArrayList<>();
        try (JsonParser p = mapper.createParser(json)) {
            if (p.nextToken() != null) walk(p, mapper.constructType(type), "", unknown);
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInput(unknown.stream().map(f -> new InvalidInput.FieldError(f, UNKNOWN_FIELD)).toList());
        }
        return mapper.readValue(json, type);
    }

    private void walk(JsonParser p, JavaType type, String path, List<String> unknown) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, JavaType> known = type.getRawClass().isRecord() ? known(type) : null;
            if (known == null) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                String at = path.isEmpty() ? name : path + "." + name;
                JavaType fieldType = known.get(name);
                if (fieldType == null) {
                    unknown.add(at);
                    p.skipChildren();
                } else {
                    walk(p, fieldType, at, unknown);
                }
            }
        } else if (t == JsonToken.START_ARRAY) {
            JavaType element = type.isCollectionLikeType() || type.isArrayType() ? type.getContentType() : null;
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (element == null) p.skipChildren();
                else walk(p, element, path + "[" + i + "]", unknown);
            }
        }
    }

    private Map<String, JavaType> known(JavaType type) {
        Map<String, JavaType> k = fields.computeIfAbsent(type.getRawClass(), c -> introspect(type));
        return k.isEmpty() ? null : k;
    }

    /** The record's JSON field names (after snake_case) and their types; empty when it takes any field. */
    private Map<String, JavaType> introspect(JavaType type) {
        BeanDescription bean = config.introspect(type);
        if (config.getDefaultPropertyIgnorals(type.getRawClass(), bean.getClassInfo()).getIgnoreUnknown()) {
            return Map.of();
        }
        Map<String, JavaType> known = new HashMap<>();
        for (BeanPropertyDefinition d : bean.findProperties()) known.put(d.getName(), d.getPrimaryType());
        return known;
    }
}
