package dev.pricelake.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** functions/functions.json, packaged into this module's jar so CDK and the local runner read the same list. */
public final class FunctionCatalog {
    private static final List<FunctionSpec> ALL = load();

    private FunctionCatalog() {
    }

    public static List<FunctionSpec> all() {
        return ALL;
    }

    public static FunctionSpec named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("functions.json has no function '" + name + "'"));
    }

    /** ASL placeholder -> function, for every function a state calls. */
    public static Map<String, FunctionSpec> byStatePlaceholder() {
        Map<String, FunctionSpec> out = new LinkedHashMap<>();
        ALL.forEach(f -> f.statePlaceholder().ifPresent(p -> out.put(p, f)));
        return out;
    }

    static List<FunctionSpec> parse(JsonNode root) {
        List<FunctionSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> placeholders = new HashSet<>();
        for (JsonNode f : root.path("functions")) {
            Set<Need> needs = new HashSet<>();
            f.path("needs").forEach(n -> needs.add(Need.valueOf(n.asText())));
            FunctionSpec spec = new FunctionSpec(f.path("name").asText(), f.path("module").asText(),
                    f.path("handler").asText(), f.path("memory_mb").asInt(), f.path("timeout_seconds").asInt(), needs,
                    f.hasNonNull("state") ? f.get("state").asText() : null);
            if (!names.add(spec.name()) || spec.statePlaceholder().filter(p -> !placeholders.add(p)).isPresent()) {
                throw new IllegalArgumentException("functions.json: '" + spec.name() + "' repeats a name or a state placeholder");
            }
            out.add(spec);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("functions.json lists no functions");
        }
        return List.copyOf(out);
    }

    private static List<FunctionSpec> load() {
        try (InputStream in = FunctionCatalog.class.getResourceAsStream("functions.json")) {
            if (in == null) {
                throw new IllegalStateException("functions.json is missing from the catalog jar");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("reading functions.json", e);
        }
    }
}
