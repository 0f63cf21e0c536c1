package com.pyerp.deployaction.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.action.LocalCache;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The OSV API: {@code POST /v1/querybatch} in chunks of 1000, following each query's {@code next_page_token}, then
 * {@code GET /v1/vulns/{id}} for every id, kept in a disk cache and fetched again only when the batch answer
 * reports a different {@code modified} time.
 */
public final class OnlineOsv implements OsvSource {

    static final int BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARALLEL_FETCHES = 8;
    private static final String CACHE_KIND = "osv";
    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);

    private final URI base;
    private final LocalCache cache;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** @param cache where fetched records are kept between runs */
    public OnlineOsv(URI base, LocalCache cache) {
        this.base = base;
        this.cache = cache;
    }

    @Override
    public String description() {
        return "the OSV API at " + base;
    }

    @Override
    public Map<Matcher.Query, List<OsvRecord>> candidates(Collection<Matcher.Query> queries) throws Unavailable {
        List<Matcher.Query> all = List.copyOf(new LinkedHashSet<>(queries));
        Map<Matcher.Query, Map<String, String>> modifiedById = new LinkedHashMap<>();
        for (int start = 0; start < all.size(); start += BATCH) {
            List<Matcher.Query> chunk = all.subList(start, Math.min(all.size(), start + BATCH));
            Map<Matcher.Query, String> pages = new LinkedHashMap<>();
            chunk.forEach(query -> pages.put(query, null));
            while (!pages.isEmpty()) {
                List<Matcher.Query> asked = List.copyOf(pages.keySet());
                JsonNode results = post("/v1/querybatch", batch(asked, pages)).path("results");
                pages.clear();
                for (int i = 0; i < asked.size(); i++) {
                    JsonNode result = results.path(i);
                    Map<String, String> ids = modifiedById.computeIfAbsent(asked.get(i), query -> new LinkedHashMap<>());
                    result.path("vulns").forEach(vuln -> ids.put(vuln.path("id").asText(), vuln.path("modified").asText()));
                    String token = result.path("next_page_token").asText("");
                    if (!token.isEmpty()) {
                        pages.put(asked.get(i), token);
                    }
                }
            }
        }
        Map<String, String> modified = new HashMap<>();
        modifiedById.values().forEach(modified::putAll);
        Map<String, OsvRecord> records = hydrate(modified);
        Map<Matcher.Query, List<OsvRecord>> candidates = new LinkedHashMap<>();
        modifiedById.forEach((query, ids) -> candidates.put(query, ids.keySet().stream().map(records::get).toList()));
        return candidates;
    }

    private static ObjectNode batch(List<Matcher.Query> queries, Map<Matcher.Query, String> pageTokens) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("queries");
        for (Matcher.Query query : queries) {
            ObjectNode item = array.addObject();
            item.putObject("package").put("name", query.name()).put("ecosystem", query.ecosystem());
            item.put("version", query.version());
            if (pageTokens.get(query) != null) {
                item.put("page_token", pageTokens.get(query));
            }
        }
        return body;
    }

    private Map<String, OsvRecord> hydrate(Map<String, String> modifiedById) throws Unavailable {
        Map<String, OsvRecord> records = new HashMap<>();
        Map<String, Future<String>> fetches = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_FETCHES, runnable -> {
            Thread thread = new Thread(runnable, "osv-fetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (Map.Entry<String, String> entry : modifiedById.entrySet()) {
                String id = entry.getKey();
                OsvRecord cached = cached(id, entry.getValue());
                if (cached != null) {
                    records.put(id, cached);
                } else {
                    fetches.put(id, pool.submit(() -> send(HttpRequest.newBuilder(endpoint("/v1/vulns/"
                            + URLEncoder.encode(id, StandardCharsets.UTF_8))).timeout(TIMEOUT).GET().build()).body()));
                }
            }
            for (Map.Entry<String, Future<String>> fetch : fetches.entrySet()) {
                String body = fetch.getValue().get();
                records.put(fetch.getKey(), OsvRecord.from(JSON.readTree(body)));
                store(fetch.getKey(), body);
            }
            return records;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Unavailable unavailable ? unavailable : unavailable(e.getCause());
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private OsvRecord cached(String id, String modified) {
        try {
            Optional<String> text = cache.get(CACHE_KIND, cacheKey(id));
            if (text.isPresent()) {
                OsvRecord record = OsvRecord.from(JSON.readTree(text.get()));
                if (record.modified().equals(modified)) {
                    return record;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // a damaged cache entry is fetched again
        }
        return null;
    }

    private void store(String id, String body) {
        cache.put(CACHE_KIND, cacheKey(id), body);
    }

    private static String cacheKey(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    private JsonNode post(String path, JsonNode body) throws Unavailable {
        HttpRequest request = HttpRequest.newBuilder(endpoint(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            return JSON.readTree(send(request).body());
        } catch (IOException e) {
            throw e instanceof Unavailable unavailable ? unavailable : unavailable(e);
        }
    }

    /** Connection failures, 429 and 5xx are tried again, after 0.5 s and 1 s; other answers are final. */
    private HttpResponse<String> send(HttpRequest request) throws Unavailable {
        for (int attempt = 1; ; attempt++) {
            Unavailable failure = null;
            HttpResponse<String> response = null;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failure = unavailable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(e);
            }
            if (response != null) {
                if (response.statusCode() == 200) {
                    return response;
                }
                failure = new Unavailable(request.method() + " " + request.uri() + " answered HTTP " + response.statusCode(),
                        null);
                if (response.statusCode() != 429 && response.statusCode() < 500) {
                    throw failure;
                }
            }
            if (attempt >= ATTEMPTS) {
                throw failure;
            }
            try {
                Thread.sleep(FIRST_RETRY.toMillis() << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    /** The base URL may carry a path prefix (a mirror or proxy), which the endpoint keeps. */
    private URI endpoint(String path) {
        String prefix = base.toString();
        return URI.create((prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix) + path);
    }

    private Unavailable unavailable(Throwable cause) {
        String why = cause instanceof java.net.ConnectException ? "connection refused"
                : cause instanceof java.net.http.HttpTimeoutException ? "timed out"
                : cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName()
                : cause.getMessage();
        return new Unavailable(base + " did not answer (" + why + ")", cause);
    }
}
